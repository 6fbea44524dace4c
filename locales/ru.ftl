# Тексты joinwatch на русском. Ключи и переменные — те же, что в en.ftl (это проверяет
# test/unit/locales.test.ts). Значения переменных — уже экранированный код HTML; теги здесь — HTML Telegram.
# Числа: формы { $n -> [one] … [few] … *[many] … } — 1 заявка, 2 заявки, 5 заявок, 21 заявка.

## Даты, числа, свежесть данных

format-date = { $day }.{ $month }.{ $year }
format-time = { $hour }:{ $minute }
format-date-time = { $date } { $time }
ago-future = в будущем
ago-just-now = только что
ago-minutes = { $count } мин назад
ago-hours = { $count } ч назад
ago-days = { $count } { $count ->
    [one] день
    [few] дня
   *[many] дней
  } назад
freshness-as-of = Данные на { $when } UTC, { $ago }
freshness-none = Данных пока нет: ни одна синхронизация ещё не завершилась
duration-seconds = { $count } с
duration-minutes = { $count } мин
duration-hours = { $hours } ч
duration-hours-minutes = { $hours } ч { $minutes } мин
duration-days = { NUMBER($days, minimumFractionDigits: 1, maximumFractionDigits: 1) } дня

## Кнопки и общие слова

button-prev = ◀ Назад
button-next = Дальше ▶
button-cancel = Отмена
button-not-ours = Эта кнопка изменена или не от этого бота, поэтому она ничего не делает.
user-fallback-name = пользователь { $id }
error-something-went-wrong = Что-то пошло не так, ошибка записана в журнал.
args-too-long = Слишком длинно ({ $length } { $length ->
    [one] символ
    [few] символа
   *[many] символов
  }, можно не больше { $max }). Пример: { $example }
args-problem = { $problem } Пример: { $example }
args-one-chat = Укажите только один чат.

## Доступ и куда идут ответы

access-not-admin = Пользоваться ботом могут только администраторы чатов, за которыми следит joinwatch.
access-group-not-admin = Здесь joinwatch доступен только администраторам этого чата.
access-group-unwatched = joinwatch пока не следит за этим чатом.
access-nothing-synced = У joinwatch ещё нет данных: первая синхронизация не завершилась. Попробуйте через минуту (оператор может проверить командой `joinwatch doctor`).
access-unknown-chat = Вы не администратор этого чата (или joinwatch за ним не следит). Пример: { $example }
route-pointer = 📬 Отправил ответ вам в личные сообщения.
route-start-me-first = Ответы приходят в личный чат. Сначала запустите меня ({ $link }), затем повторите команду.
pick-chat-question = Какой чат? (Или укажите его сами: добавьте после команды его id или @username.)
pick-chat-expired = Вопрос устарел; отправьте команду ещё раз.
pick-chat-no-longer-admin = Вы больше не администратор этого чата.
pick-chat-not-yours = Этот вопрос задан другому человеку.
anonymous-ask = Вы написали от имени группы, и Telegram не сообщает, какой вы администратор. Нажмите кнопку, чтобы подтвердить, что это вы: ответ придёт вам в личные сообщения.
anonymous-button = ✋ Это я: подтвердить
anonymous-confirmed = Подтверждено: ответ придёт вам в личные сообщения.
anonymous-done = Администратор подтвердил; ответ отправлен ему в личные сообщения.
fallback-button-gone = Эта кнопка больше не действует; отправьте команду ещё раз.
fallback-not-understood = Не понял. /help — список команд с примерами.
fallback-unknown-command = Неизвестная команда. /help — список команд.

## Меню команд (setMyCommands)

command-start = Что умеет joinwatch и какие чаты вы администрируете
command-help = Команды и примеры
command-links = Пригласительные ссылки: вступления, заявки, срок
command-joiners = Кто вступил по ссылке: /joiners <ссылка>
command-pending = Заявки на вступление: /pending [поиск]
command-whois = Вступления и заявки человека: /whois @имя
command-stats = Вступления и заявки по дням: /stats [ссылка] [дни]
command-export = CSV: /export <ссылка | pending | all>
command-sync = Синхронизировать сейчас (раз в минуту на чат)
command-language = Язык ответов

## /start и /help

start-about = joinwatch показывает администраторам чатов, кто по какой пригласительной ссылке вступил, и заявки на вступление — с кнопками «одобрить» и «отклонить».
start-in-private = Напишите мне /start в личные сообщения, чтобы увидеть свои чаты.
start-no-chats = Вы не администратор ни одного чата, за которым следит joinwatch, поэтому показать нечего.
start-your-chats = Ваши чаты
start-untitled = без названия
help-title = Команды
help-links = /links — все пригласительные ссылки: вступили / лимит, заявки, срок действия, последняя активность
help-joiners = /joiners &lt;ссылка&gt; — кто вступил по ссылке, например /joiners https://t.me/+AbCdEf0123
help-pending = /pending [поиск] — заявки на вступление с кнопками «Одобрить» / «Отклонить», например /pending ann
help-whois = /whois &lt;@username | id&gt; — вступления и заявки одного человека (или ответьте так на его пересланное сообщение)
help-stats = /stats [ссылка] [дни] — вступления и заявки по дням, графиком
help-export = /export &lt;ссылка | pending | all&gt; — данные в CSV
help-sync = /sync — получить свежие данные сейчас (раз в минуту на чат)
help-language = /language — язык, на котором я отвечаю (English, Русский)
help-chat-argument = В личных сообщениях чат указывают после команды — его id или @username, например /links -1001234567890; в группе команды относятся к этой группе, а ответ приходит вам в личные сообщения.

## /language

language-name-en = English
language-name-ru = Русский
language-current = Язык: { $language }. Выберите:
language-current-group = Уведомления в этом чате: { $language }. Выберите:
language-button-app = Как в моём приложении Telegram
language-set = Готово: теперь я отвечаю вам по-русски.
language-set-app = Готово: я отвечаю вам на языке вашего приложения Telegram ({ $language }).
language-set-group = Готово: теперь уведомления в этом чате приходят на русском.
language-group-admins-only = Выбрать язык этого чата могут только его администраторы.
language-unknown = Я говорю на языках: { $languages }. Пример: /language ru

## Ссылки (/links, заголовок /joiners)

links-title = <b>{ $count } { $count ->
    [one] пригласительная ссылка
    [few] пригласительные ссылки
   *[many] пригласительных ссылок
  } в { $chat }</b>
links-none = Ссылок пока не видно.
links-invisible-not-owner = аккаунт не владелец чата: Telegram показывает ему только его собственные пригласительные ссылки, поэтому ссылки других администраторов и вступившие по ним не видны
links-invisible-admin = ссылки администратора { $admin } получить нельзя ({ $code })
link-primary = (основная ссылка)
link-deleted = удалена в Telegram
link-revoked = отозвана
link-invisible = вступивших не видно юзерботу
link-admin-departed = автор ссылки больше не администратор ({ $date })
link-expired = истекла { $date }
link-expires = действует до { $date }
link-joined = вступили: { $joined }
link-joined-of-limit = вступили: { $joined } / { $limit }
link-left = вышли: { $count }
# Какие живые источники работают для чата (журнал действий, пуши Telegram, обновления бота).
links-live = Вживую: { $log }; { $pushes }; { $bot }.
links-live-log-followed = журнал действий читается
links-live-log-unreadable = журнал действий недоступен ({ $why }), поэтому каждая синхронизация полная
links-live-log-not-read = журнал действий ещё не читался
links-live-pushes-seen = Telegram присылает число заявок (последний раз { $date })
links-live-pushes-none = Telegram ещё не присылал число заявок
links-live-bot-on = обновления бота включены
links-live-bot-off = бот здесь не администратор, поэтому заявки ждут следующей синхронизации
link-pending = { $count } { $count ->
    [one] заявка
    [few] заявки
   *[many] заявок
  }
link-admin-approval = с одобрением администратора
link-created-by = Создал(а) { $creator } { $date }
link-by = создал(а) { $creator }
link-last-join = последнее вступление { $date }
link-last-request = последняя заявка { $date }
link-invalid = это не пригласительная ссылка ({ $reason }): нужна https://t.me/+HASH, t.me/joinchat/HASH, tg://join?invite=HASH или +HASH. Пример: { $example }
link-invalid-not-text = не текст
link-invalid-empty = пусто
link-invalid-too-long = слишком длинно
link-invalid-malformed-tg = испорченная ссылка tg://
link-invalid-tg-not-join = tg://{ $detail } — не ссылка для вступления
link-invalid-malformed-url = испорченный адрес
link-invalid-scheme = неподдерживаемая схема { $detail }
link-invalid-host = { $detail } — не t.me
link-invalid-public = ссылка t.me на публичный @username или на сообщение, а не приглашение
link-invalid-phone = ссылка на номер телефона, а не приглашение
link-invalid-hash = в хеше символы или длина, которых у Telegram не бывает
link-not-seen = Ссылку { $link } в ваших чатах пока не видели. { $freshness } Пример: { $example }

## /joiners

joiners-which-link = Какая ссылка? Пример: { $example } (список — в /links).
joiners-list-gone = Этот список вам больше недоступен; отправьте /joiners ещё раз.
joiners-range = Вступившие { $first }–{ $last }
joiners-no-more = Больше никого нет.
joiners-invisible = Юзербот не может получить список вступивших по этой ссылке: её создал другой администратор, а аккаунт юзербота не владелец чата.
joiners-none = По этой ссылке пока никто не вступил (по данным последней синхронизации).
joiner-approved-by = одобрил(а) { $admin }
joiner-via-folder = через папку
stay-ended = { $how ->
    [kicked] удалён(а) { $date }
    [unseen] вышел(а) не позже { $date }
   *[left] вышел(а) { $date }
}

## /pending, одобрение и отклонение

pending-head = <b>{ $count } { $count ->
    [one] заявка
    [few] заявки
   *[many] заявок
  } на вступление</b> в { $chat }
pending-head-matching = <b>{ $count } { $count ->
    [one] заявка
    [few] заявки
   *[many] заявок
  } на вступление</b> по запросу «{ $query }» в { $chat }
pending-no-match = В { $chat } нет заявок по запросу «{ $query }» (всего заявок: { $all }).
pending-range = Заявки { $first }–{ $last } из { $total }
pending-nothing = Заявок нет.
pending-list-expired = Этот список устарел; отправьте /pending ещё раз.
pending-not-admin = Вы не администратор этого чата.
pending-approving = Одобряю: { $name }…
pending-declining = Отклоняю: { $name }…
pending-approved = ✅ Одобрено: { $name }.
pending-declined = ❌ Отклонено: { $name }.
pending-not-approved = ⚠️ Не одобрено: { $name } — { $reason }.
pending-not-declined = ⚠️ Не отклонено: { $name } — { $reason }.
pending-approve-all = Одобрить все ({ $count })
pending-decline-all = Отклонить все ({ $count })
request-via-link = по ссылке { $link }
request-via-username = через публичный @username
request-via-unlisted = по ссылке, которую юзербот не видит
request-via-unknown = ссылка пока неизвестна
request-bio = «{ $bio }»
decide-not-admin = вы (больше) не администратор этого чата
decide-no-invite-right = чтобы решать по заявкам, нужно право администратора «Пригласительные ссылки», а у вас в этом чате его нет
decide-unconfirmed = Telegram сейчас не смог подтвердить ваши права администратора; попробуйте через минуту
decide-approved-elsewhere = уже одобрена кем-то другим
decide-declined-elsewhere = уже отклонена другим администратором или отозвана самим пользователем
decide-handled-elsewhere = уже рассмотрена другим администратором или отозвана самим пользователем (HIDE_REQUESTER_MISSING)
decide-already-member = пользователь уже участник (USER_ALREADY_PARTICIPANT)
decide-account-deleted = аккаунт удалён
decide-too-many-chats = пользователь уже состоит в слишком многих чатах (USER_CHANNELS_TOO_MUCH)
decide-bot-rights = боту нужно быть администратором с правом «Пригласительные ссылки» (can_invite_users)
decide-slow-down = Telegram попросил сбавить темп; попробуйте через минуту
decide-refused = Telegram отказал: { $description }

## «Одобрить все» / «Отклонить все»

bulk-already-started = По этому списку уже идёт обработка; для нового списка отправьте /pending ещё раз.
bulk-already-asked = Этот вопрос уже задан под списком.
bulk-not-possible = Нельзя: { $reason }.
bulk-nothing-matches = Подходящих заявок больше нет.
bulk-confirm-yes = { $action ->
    [approve] ✅ Да, одобрить { $count }
   *[decline] ❌ Да, отклонить { $count }
  }
bulk-confirm = { $action ->
    [approve] Одобрить
   *[decline] Отклонить
  } { $count ->
    [one] { $count } заявку
    [few] все { $count } заявки
   *[many] все { $count } заявок
  } в { $chat }? Отменить это будет нельзя.
bulk-confirm-matching = { $action ->
    [approve] Одобрить
   *[decline] Отклонить
  } { $count ->
    [one] { $count } заявку
    [few] все { $count } заявки
   *[many] все { $count } заявок
  } по запросу «{ $query }» в { $chat }? Отменить это будет нельзя.
bulk-question-expired = Вопрос устарел; отправьте /pending ещё раз.
bulk-cancelled = Отменено; ничего не изменилось.
bulk-other-run = В этом чате уже идёт обработка «всех» заявок; дождитесь её отчёта.
bulk-running = { $action ->
    [approve] Одобряю
   *[decline] Отклоняю
  } { $count ->
    [one] { $count } заявку
    [few] { $count } заявки
   *[many] { $count } заявок
  }…
bulk-progress = { $action ->
    [approve] Одобряю
   *[decline] Отклоняю
  }… { $done } из { $total }
bulk-done = Готово: { $action ->
    [approve] одобрено
   *[decline] отклонено
  } { $done } из { $total }.
bulk-done-matching = Готово: { $action ->
    [approve] одобрено
   *[decline] отклонено
  } { $done } из { $total } по запросу «{ $query }».
bulk-not-changed = • { $count } без изменений: { $reason }
bulk-failed = • { $count } — неожиданная ошибка (Telegram не ответил); она записана в журнал.
bulk-stopped = • Остановлено: { $reason }; не обработано: { $count }.
bulk-stopping = • Не обработано: { $count } — joinwatch останавливался.
bulk-run-already-started = Вопрос устарел: обработка по нему уже началась.
bulk-interrupted = Остановлено перезапуском: { $action ->
    [approve] одобрено
   *[decline] отклонено
  } { $done } из { $total }; не обработано: { $skipped }.
bulk-interrupted-matching = Остановлено перезапуском: { $action ->
    [approve] одобрено
   *[decline] отклонено
  } { $done } из { $total } по запросу «{ $query }»; не обработано: { $skipped }.
bulk-interrupted-other = • { $count } без изменений (уже решены в другом месте, отказано или ошибка).
bulk-interrupted-pointer = Отправьте /pending, чтобы увидеть, кто ещё ждёт.

## /whois

whois-example = /whois @ann_lee или /whois 9000001
whois-title = <b>Кто это:</b> { $person } (id <code>{ $id }</code>)
whois-joins = Вступления
whois-requests = Заявки
whois-earlier-names = Прежние имена
whois-not-seen = В ваших чатах никого с таким username не видели. Ни вступлений, ни заявок по данным последней синхронизации ({ $freshness }). Пример: { $example }
whois-nothing = У пользователя с id <code>{ $id }</code> нет вступлений и заявок в ваших чатах (по данным последней синхронизации).
whois-whom = Кого? Пример: { $example }
whois-not-an-id = Это не id пользователя. Пример: { $example }
whois-not-a-username = Это не @username и не id. Пример: { $example }
whois-hidden-forward = Этот человек скрывает аккаунт при пересылке; спросите по его @username или id.
whois-forward-from-chat = Это сообщение переслано из чата, а не от человека.
whois-reply-to-person = Ответьте на сообщение человека или напишите: { $example }
whois-joined = • { $chat }: вступил(а) { $date } { $via }
whois-requested = • { $chat }: заявка { $date } { $via } · { $status }
whois-status = { $status ->
    [pending] ждёт решения
    [approved] одобрена
    [declined] отклонена
   *[gone] отозвана или рассмотрена не через joinwatch
  }
whois-status-by = { $status } — { $admin }
whois-status-elsewhere = { $status } не через joinwatch
whois-status-on = { $status } { $date }
whois-bio = о себе: «{ $bio }»

## /stats

stats-days-twice = Укажите число дней один раз.
stats-days-range = Период — от 1 до { $max } дней.
stats-not-link-or-days = «{ $token }» — не ссылка и не число дней. Использование: /stats [ссылка] [дни].
stats-one-link = Укажите одну ссылку.
stats-chart-title = Вступления и заявки по дням · { $subject } · { $days ->
    [one] последний { $days } день
    [few] последние { $days } дня
   *[many] последние { $days } дней
  }
stats-chart-joins = вступления
stats-chart-requests = заявки
stats-chart-per-day = в день
# d3-time-format: подписи дней на графике (день.месяц, без названий месяцев).
stats-chart-day-format = %d.%m
stats-head = 📊 <b>{ $subject }</b> · { $days ->
    [one] последний { $days } день
    [few] последние { $days } дня
   *[many] последние { $days } дней
  }
stats-totals = Вступлений: <b>{ $joins }</b> · заявок: <b>{ $requests }</b>
stats-top-links = Лучшие ссылки: { $links }
stats-no-decisions = Доля одобренных: за этот период решений не было.
stats-approval = Доля одобренных: <b>{ $percent }</b> (одобрено: { $approved }, отклонено: { $declined }, отозвано или отклонено не через joinwatch: { $gone })
stats-median = Медианное время до решения: { $duration }

## /export

export-example = /export https://t.me/+AbCdEf0123 (или /export pending, /export all)
export-one-thing = Выгружайте что-то одно: ссылку, pending или all.
export-what = Что выгрузить: ссылку, pending или all?
export-not-a-target = «{ $token }» — не ссылка, не pending и не all. Использование: /export <ссылка | pending | all>.
export-too-big = Выгрузка весит { $megabytes } МБ — больше лимита Telegram на загрузку в 50 МБ. Запустите <code>joinwatch export</code> на сервере.
export-kind-pending = заявки
export-kind-all = всё

## /sync

sync-unavailable = Синхронизация по запросу в этом процессе недоступна (юзербот работает в другом).
sync-cooldown = Этот чат синхронизировался меньше минуты назад; попробуйте через { $seconds } с.
sync-started = Синхронизирую { $chat }…
sync-done = Синхронизация { $chat } завершена.
sync-failed = Синхронизация { $chat } не удалась.
sync-summary = { $outcome ->
    [ok] готово
    [partial] сделано не всё (остальное — в следующих циклах)
    [deferred] отложено (Telegram попросил подождать)
   *[failed] ошибка
  }: { $links } { $links ->
    [one] ссылка
    [few] ссылки
   *[many] ссылок
  } (прочитано: { $paged }), вступлений +{ $joins }, заявок +{ $requests }, одобрено { $approved }, отклонено { $declined }, запросов к Telegram: { $calls }
sync-session-revoked = сессия отозвана: выполните <code>joinwatch login</code>
sync-nothing = ничего не синхронизировано

## Уведомления (src/notify/messages.ts)

digest-head = 🔔 <b>{ $count } { $count ->
    [one] новая заявка
    [few] новые заявки
   *[many] новых заявок
  } на вступление</b> в { $chat }
digest-line = • { $person } · { $date } UTC
digest-more = … и ещё { $count }
digest-through = По ссылкам: { $links }
digest-review = Посмотреть и решить: /pending
import-head = 📥 <b>Первичная загрузка</b> — { $chat }: { $links ->
    [one] { $links } пригласительная ссылка
    [few] { $links } пригласительные ссылки
   *[many] { $links } пригласительных ссылок
  }, { $joins ->
    [one] { $joins } вступление
    [few] { $joins } вступления
   *[many] { $joins } вступлений
  }, { $pending ->
    [one] { $pending } заявка на вступление
    [few] { $pending } заявки на вступление
   *[many] { $pending } заявок на вступление
  }.
import-link = • { $link }: вступили { $joined }, ждут { $pending }
import-more-links = … и ещё { $count ->
    [one] { $count } ссылка
    [few] { $count } ссылки
   *[many] { $count } ссылок
  }
import-without-link = • не по ссылке, которую видит юзербот (публичный @username или ссылки других администраторов): ждут { $pending }
import-review = Посмотреть и решить: /pending. Дальше новые заявки будут приходить сводками.
import-no-pending = Дальше новые заявки на вступление будут приходить сводками.
notify-public-username = публичный @username
notify-unlisted-links = ссылки, которые юзербот не видит
notify-link-unknown = ссылка, которую ещё не определили
raid-head = 🚨 <b>Возможный рейд</b> в { $chat }
raid-count = { $count } { $count ->
    [one] вступление
    [few] вступления
   *[many] вступлений
  } за { $minutes } мин { $where } ({ $usual } за такое время).
raid-across-chat = по всему чату
raid-through = по ссылке { $link }
raid-usual-under-one = обычно меньше 1
raid-usual = обычно около { $expected }
raid-window = С { $from } до { $to } UTC. Стоит отозвать ссылку или включить заявки на вступление.
alert-near-limit = • Ссылка { $link } почти исчерпала лимит: вступили { $usage } из { $limit }.
alert-expiring = • Ссылка { $link } действует до { $date } UTC.
alert-sync-failed = • Синхронизация не удалась: <code>{ $error }</code>. Показанные данные могут быть устаревшими; будет новая попытка.
alert-sync-error-on-link = { $error } на ссылке { $link }
alert-sync-error-in-chat = { $error } (чат { $chat })
alert-sync-error-unknown = неизвестная ошибка
alert-session-revoked = • Сессия юзербота отозвана (<code>{ $error }</code>): синхронизация остановлена. Выполните <code>joinwatch login</code> ещё раз.
notify-refused = ⚠️ <b>joinwatch</b> не может отправлять уведомления в <code>{ $recipient }</code>: { $reason }.
notify-refused-kept = Они сохранены и придут все, как только отправка снова станет возможной: добавьте бота в тот чат с правом писать сообщения (а если это человек — пусть начнёт чат с ботом).
