-- joinwatch: links of a departed admin (issue 11).
-- When the sync (as the chat's owner) found that the admin who created the link was no longer
-- among the chat's admins with links (`getAdminsWithInvites`): demoted, or left the chat. NULL: the
-- admin is one as far as the store knows (or the account cannot tell: not the owner). Distinct from
-- revoked_at and gone_at: the link itself may still work, and its joins, stays and requests stay.
-- Cleared when the admin is listed again (promoted back).
ALTER TABLE invite_links ADD COLUMN admin_departed_at INTEGER;
