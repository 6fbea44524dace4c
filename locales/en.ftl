# joinwatch's texts in English. Every text the bot and the notifier send is here and in ru.ftl,
# with the same keys and the same variables (test/unit/locales.test.ts checks both).
# Values given to a text are HTML already escaped by the code; tags written here are Telegram HTML.
# See src/bot/README.md, "Texts and languages", before adding one.

## Dates, numbers, freshness (src/bot/views/time.ts)

format-date = { $year }-{ $month }-{ $day }
format-time = { $hour }:{ $minute }
format-date-time = { $date } { $time }
ago-future = in the future
ago-just-now = just now
ago-minutes = { $count } min ago
ago-hours = { $count } h ago
ago-days = { $count } { $count ->
    [one] day
   *[other] days
  } ago
freshness-as-of = Data as of { $when } UTC, { $ago }
freshness-none = Data: no sync has finished yet
duration-seconds = { $count } s
duration-minutes = { $count } min
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min
duration-days = { NUMBER($days, minimumFractionDigits: 1, maximumFractionDigits: 1) } days

## Buttons and words used everywhere

button-prev = ◀ Prev
button-next = Next ▶
button-cancel = Cancel
button-not-ours = This button was changed or is not from this bot, so it does nothing.
user-fallback-name = user { $id }
error-something-went-wrong = Something went wrong, it has been logged.
args-too-long = That is too long ({ $length } characters, at most { $max }). Example: { $example }
args-problem = { $problem } Example: { $example }
args-one-chat = Name one chat at a time.

## Access and routing (src/bot/middlewares)

access-not-admin = Only admins of a chat joinwatch watches can use this.
access-group-not-admin = Only admins of this chat can use joinwatch here.
access-group-unwatched = joinwatch does not watch this chat yet.
access-nothing-synced = joinwatch has no data yet: the first sync has not finished. Try again in a minute (the operator can check with `joinwatch doctor`).
access-unknown-chat = You are not an admin of that chat (or joinwatch does not watch it). Example: { $example }
route-pointer = 📬 Sent you the answer in a private message.
route-start-me-first = Results go to a private chat. Start me first ({ $link }), then send the command again.
pick-chat-question = Which chat? (Or name it: add its id or @username after the command.)
pick-chat-expired = This question has expired; send the command again.
pick-chat-no-longer-admin = You are no longer an admin of that chat.
pick-chat-not-yours = This question was asked to someone else.
anonymous-ask = You wrote as the group, so Telegram does not tell me which admin you are. Press the button to confirm it is you: the answer then comes to you privately.
anonymous-button = ✋ It's me: confirm
anonymous-confirmed = Confirmed: the answer comes to you privately.
anonymous-done = An admin confirmed; the answer went to them privately.
fallback-button-gone = This button is no longer valid; send the command again.
fallback-not-understood = I did not understand that. /help lists what I can do, with examples.
fallback-unknown-command = Unknown command. /help lists what I can do.

## Command menu (setMyCommands)

command-start = What joinwatch does and which chats you administer
command-help = Commands and examples
command-links = Invite links with joined, pending, expiry
command-joiners = Who joined through a link: /joiners <link>
command-pending = Pending join requests: /pending [search]
command-whois = Joins and requests of a user: /whois @name
command-stats = Joins and requests per day: /stats [link] [days]
command-export = CSV: /export <link | pending | all>
command-sync = Sync now (once a minute per chat)
command-language = Language of my answers

## /start and /help

start-about = joinwatch shows chat admins who joined through which invite link, and the pending join requests, with approve and decline.
start-in-private = Send me /start in private to see your chats.
start-no-chats = You are not an admin of any chat joinwatch watches, so there is nothing to show you.
start-your-chats = Your chats
start-untitled = untitled
help-title = Commands
help-links = /links — every invite link: joined / limit, pending, expiry, last activity
help-joiners = /joiners &lt;link&gt; — who joined through a link, e.g. /joiners https://t.me/+AbCdEf0123
help-pending = /pending [search] — pending join requests with Approve / Decline, e.g. /pending ann
help-whois = /whois &lt;@username | id&gt; — joins and requests of one person (or reply to their forwarded message)
help-stats = /stats [link] [days] — joins and requests per day as a chart
help-export = /export &lt;link | pending | all&gt; — the data as CSV
help-sync = /sync — fetch fresh data now (once a minute per chat)
help-language = /language — the language I answer in (English, Русский)
help-chat-argument = In private, name a chat by adding its id or @username after the command, e.g. /links -1001234567890; in a group, commands are about that group and the answer comes to you privately.

## /language

language-name-en = English
language-name-ru = Русский
language-current = Language: { $language }. Choose:
language-current-group = Notifications in this chat: { $language }. Choose:
language-button-app = As in my Telegram app
language-set = Done: I answer you in English now.
language-set-app = Done: I answer you in the language of your Telegram app ({ $language }).
language-set-group = Done: notifications in this chat are in English now.
language-group-admins-only = Only admins of this chat can choose its language.
language-unknown = I speak { $languages }. Example: /language ru

## Links (/links, the /joiners header)

links-title = <b>{ $count } invite { $count ->
    [one] link
   *[other] links
  } of { $chat }</b>
links-none = No links seen yet.
links-invisible-not-owner = the account is not the chat's owner: Telegram lists only its own invite links, so other admins' links and who joined through them are invisible
links-invisible-admin = links of admin { $admin } cannot be listed ({ $code })
link-primary = (primary link)
link-deleted = deleted on Telegram
link-revoked = revoked
link-invisible = joiners not visible to the userbot
link-admin-departed = admin departed { $date }
link-expired = expired { $date }
link-expires = expires { $date }
link-joined = { $joined } joined
link-joined-of-limit = { $joined } / { $limit } joined
link-left = { $count } left
# Which live sources work for the chat (the sync's admin log, Telegram's pushes, the bot's updates).
links-live = Live: { $log }; { $pushes }; { $bot }.
links-live-log-followed = admin log followed
links-live-log-unreadable = admin log not readable ({ $why }), so every sync is a full one
links-live-log-not-read = admin log not read yet
links-live-pushes-seen = Telegram pushes pending counts (last { $date })
links-live-pushes-none = no pending count pushed yet
links-live-bot-on = bot updates on
links-live-bot-off = the bot is not an admin here, so requests wait for the next sync
link-pending = { $count } pending
link-admin-approval = admin approval
link-created-by = Created by { $creator } on { $date }
link-by = by { $creator }
link-last-join = last join { $date }
link-last-request = last request { $date }
link-invalid = not an invite link ({ $reason }): expected https://t.me/+HASH, t.me/joinchat/HASH, tg://join?invite=HASH or +HASH. Example: { $example }
link-invalid-not-text = not text
link-invalid-empty = empty
link-invalid-too-long = too long
link-invalid-malformed-tg = malformed tg:// URL
link-invalid-tg-not-join = tg://{ $detail } is not a join link
link-invalid-malformed-url = malformed URL
link-invalid-scheme = unsupported scheme { $detail }
link-invalid-host = host { $detail } is not t.me
link-invalid-public = a t.me link to a public @username or a message, not to an invite
link-invalid-phone = a phone-number link, not an invite
link-invalid-hash = the hash has characters or a length Telegram does not use
link-not-seen = { $link } has not been seen in your chats yet. { $freshness } Example: { $example }

## /joiners

joiners-which-link = Which link? Example: { $example } (see /links for the list).
joiners-list-gone = This list is no longer available to you; send /joiners again.
joiners-range = Joiners { $first }–{ $last }
joiners-no-more = No more joiners here.
joiners-invisible = The userbot may not list who joined through this link: another admin created it and the userbot's account does not own the chat.
joiners-none = Nobody has joined through this link yet (as far as the last sync saw).
joiner-approved-by = approved by { $admin }
joiner-via-folder = via folder
stay-ended = { $how ->
    [kicked] removed { $date }
    [unseen] gone by { $date }
   *[left] left { $date }
}

## /pending, approve and decline

pending-head = <b>{ $count } pending { $count ->
    [one] request
   *[other] requests
  }</b> in { $chat }
pending-head-matching = <b>{ $count } pending { $count ->
    [one] request
   *[other] requests
  }</b> matching “{ $query }” in { $chat }
pending-no-match = No pending request matches “{ $query }” in { $chat } ({ $all } pending in all).
pending-range = Requests { $first }–{ $last } of { $total }
pending-nothing = Nothing is pending.
pending-list-expired = This list has expired; send /pending again.
pending-not-admin = You are not an admin of that chat.
pending-approving = Approving { $name }…
pending-declining = Declining { $name }…
pending-approved = ✅ Approved { $name }.
pending-declined = ❌ Declined { $name }.
pending-not-approved = ⚠️ { $name } was not approved: { $reason }.
pending-not-declined = ⚠️ { $name } was not declined: { $reason }.
pending-approve-all = Approve all { $count }
pending-decline-all = Decline all { $count }
request-via-link = via { $link }
request-via-username = via the public username
request-via-unlisted = via a link the userbot cannot list
request-via-unknown = link not known yet
request-bio = “{ $bio }”
decide-not-admin = you are not an admin of this chat (any more)
decide-no-invite-right = deciding join requests needs the "Invite users" admin right, which you do not have in this chat
decide-unconfirmed = Telegram could not confirm your admin rights just now; try again in a minute
decide-approved-elsewhere = already approved by someone else
decide-declined-elsewhere = already declined by another admin or withdrawn by the user
decide-handled-elsewhere = already handled by another admin or withdrawn by the user (HIDE_REQUESTER_MISSING)
decide-already-member = the user is already a member (USER_ALREADY_PARTICIPANT)
decide-account-deleted = the account was deleted
decide-too-many-chats = the user is in too many chats already (USER_CHANNELS_TOO_MUCH)
decide-bot-rights = the bot needs to be an admin with the "Invite users via link" right (can_invite_users)
decide-slow-down = Telegram asked us to slow down; try again in a minute
decide-refused = Telegram refused: { $description }

## "Approve all" / "Decline all"

bulk-already-started = A run for this list has already started; send /pending again for a new list.
bulk-already-asked = That question is already asked below this list.
bulk-not-possible = Not possible: { $reason }.
bulk-nothing-matches = Nothing matches any more.
bulk-confirm-yes = { $action ->
    [approve] ✅ Yes, approve { $count }
   *[decline] ❌ Yes, decline { $count }
  }
bulk-confirm = { $action ->
    [approve] Approve
   *[decline] Decline
  } all { $count } pending { $count ->
    [one] request
   *[other] requests
  } in { $chat }? This cannot be undone.
bulk-confirm-matching = { $action ->
    [approve] Approve
   *[decline] Decline
  } all { $count } pending { $count ->
    [one] request
   *[other] requests
  } matching “{ $query }” in { $chat }? This cannot be undone.
bulk-question-expired = This question has expired; send /pending again.
bulk-cancelled = Cancelled; nothing was changed.
bulk-other-run = Another "all" run is going on in this chat; wait for its report.
bulk-running = { $action ->
    [approve] Approving
   *[decline] Declining
  } { $count } requests…
bulk-progress = { $action ->
    [approve] Approving
   *[decline] Declining
  }… { $done } of { $total }
bulk-done = Done: { $action ->
    [approve] approved
   *[decline] declined
  } { $done } of { $total }.
bulk-done-matching = Done: { $action ->
    [approve] approved
   *[decline] declined
  } { $done } of { $total } matching “{ $query }”.
bulk-not-changed = • { $count } not changed: { $reason }
bulk-failed = • { $count } failed unexpectedly (Telegram did not answer); it has been logged.
bulk-stopped = • Stopped: { $reason }; { $count } not attempted.
bulk-stopping = • { $count } not attempted: joinwatch was stopping.
bulk-run-already-started = This question has expired: its run has already started.
bulk-interrupted = Stopped by a restart: { $action ->
    [approve] approved
   *[decline] declined
  } { $done } of { $total }; { $skipped } not attempted.
bulk-interrupted-matching = Stopped by a restart: { $action ->
    [approve] approved
   *[decline] declined
  } { $done } of { $total } matching “{ $query }”; { $skipped } not attempted.
bulk-interrupted-other = • { $count } not changed (already decided elsewhere, refused or failed).
bulk-interrupted-pointer = Send /pending to see who is still waiting.

## /whois

whois-example = /whois @ann_lee or /whois 9000001
whois-title = <b>Who is</b> { $person } (id <code>{ $id }</code>)
whois-joins = Joins
whois-requests = Requests
whois-earlier-names = Earlier names
whois-not-seen = No one with that username has been seen in your chats. No joins or requests as far as the last sync saw ({ $freshness }). Example: { $example }
whois-nothing = No joins or requests of user id <code>{ $id }</code> in your chats (as far as the last sync saw).
whois-whom = Whom? Example: { $example }
whois-not-an-id = That is not a user id. Example: { $example }
whois-not-a-username = Not a @username or id. Example: { $example }
whois-hidden-forward = That person hides their account in forwards; ask with their @username or id instead.
whois-forward-from-chat = That message was forwarded from a chat, not a person.
whois-reply-to-person = Reply to a person's message, or: { $example }
whois-joined = • { $chat }: joined { $date } { $via }
whois-requested = • { $chat }: requested { $date } { $via } · { $status }
whois-status = { $status ->
    [pending] pending
    [approved] approved
    [declined] declined
   *[gone] withdrawn or handled elsewhere
  }
whois-status-by = { $status } by { $admin }
whois-status-elsewhere = { $status } elsewhere
whois-status-on = { $status } on { $date }
whois-bio = bio “{ $bio }”

## /stats

stats-days-twice = Give the number of days once.
stats-days-range = The period must be 1 to { $max } days.
stats-not-link-or-days = “{ $token }” is neither a link nor a number of days. Usage: /stats [link] [days].
stats-one-link = Give one link at a time.
stats-chart-title = Joins and requests per day · { $subject } · last { $days } days
stats-chart-joins = joins
stats-chart-requests = requests
stats-chart-per-day = per day
# d3-time-format: the chart's day labels (%b = short month name in English).
stats-chart-day-format = %b %d
stats-head = 📊 <b>{ $subject }</b> · last { $days } days
stats-totals = Joins: <b>{ $joins }</b> · requests: <b>{ $requests }</b>
stats-top-links = Top links: { $links }
stats-no-decisions = Approval rate: no decisions in this period.
stats-approval = Approval rate: <b>{ $percent }</b> ({ $approved } approved, { $declined } declined, { $gone } withdrawn or declined elsewhere)
stats-median = Median time to a decision: { $duration }

## /export

export-example = /export https://t.me/+AbCdEf0123 (or /export pending, /export all)
export-one-thing = Export one thing at a time: a link, pending or all.
export-what = What should I export: a link, pending or all?
export-not-a-target = “{ $token }” is not a link, pending or all. Usage: /export <link | pending | all>.
export-too-big = That export is { $megabytes } MB, over Telegram's 50 MB upload limit. Use <code>joinwatch export</code> on the server instead.
export-kind-pending = pending
export-kind-all = all

## /sync

sync-unavailable = Syncing on demand is not available in this process (the userbot runs elsewhere).
sync-cooldown = A sync of this chat ran less than a minute ago; try again in { $seconds } s.
sync-started = Syncing { $chat }…
sync-done = Sync of { $chat } done.
sync-failed = Sync of { $chat } failed.
sync-summary = { $outcome ->
    [ok] ok
    [partial] partly done (the rest follows in the next cycles)
    [deferred] deferred (Telegram asked to wait)
   *[failed] failed
  }: { $links } { $links ->
    [one] link
   *[other] links
  } ({ $paged } paged), +{ $joins } joins, +{ $requests } requests, { $approved } approved, { $declined } declined, { $calls } Telegram calls
sync-session-revoked = the session was revoked: run <code>joinwatch login</code>
sync-nothing = nothing synced

## Notifications (src/notify/messages.ts)

digest-head = 🔔 <b>{ $count } new join { $count ->
    [one] request
   *[other] requests
  }</b> in { $chat }
digest-line = • { $person } · { $date } UTC
digest-more = … and { $count } more
digest-through = Through: { $links }
digest-review = Review them with /pending
import-head = 📥 <b>Initial import</b> of { $chat }: { $links ->
    [one] { $links } invite link
   *[other] { $links } invite links
  }, { $joins ->
    [one] { $joins } join
   *[other] { $joins } joins
  }, { $pending ->
    [one] { $pending } pending join request
   *[other] { $pending } pending join requests
  }.
import-link = • { $link }: { $joined } joined, { $pending } pending
import-more-links = … and { $count ->
    [one] { $count } more link
   *[other] { $count } more links
  }
import-without-link = • without a link the userbot can list (the public username, or other admins' links): { $pending } pending
import-review = Review the pending requests with /pending. From now on, new ones come as digests.
import-no-pending = From now on, new join requests come as digests.
notify-public-username = public username
notify-unlisted-links = links the userbot cannot list
notify-link-unknown = a link not identified yet
raid-head = 🚨 <b>Possible raid</b> in { $chat }
raid-count = { $count } joins within { $minutes } min { $where } ({ $usual } in that time).
raid-across-chat = across the chat
raid-through = through { $link }
raid-usual-under-one = usually under 1
raid-usual = usually about { $expected }
raid-window = From { $from } to { $to } UTC. Consider revoking the link or enabling join requests.
alert-near-limit = • Link { $link } is near its usage limit: { $usage } / { $limit } joined.
alert-expiring = • Link { $link } expires { $date } UTC.
alert-sync-failed = • Sync failed: <code>{ $error }</code>. The data shown may be stale; it will be retried.
alert-sync-error-on-link = { $error } on { $link }
alert-sync-error-in-chat = { $error } (chat { $chat })
alert-sync-error-unknown = unknown error
alert-session-revoked = • The userbot session was revoked (<code>{ $error }</code>): syncing stopped. Run <code>joinwatch login</code> again.
notify-refused = ⚠️ <b>joinwatch</b> cannot send notifications to <code>{ $recipient }</code>: { $reason }.
notify-refused-kept = They are kept and will all be sent once it accepts them: add the bot to that chat with the right to post (or, for a person, start a chat with the bot).
