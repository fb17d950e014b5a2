-- The code of a failed sync run's error (StoreError::code, e.g. `offline`), beside its message:
-- the app tells "offline" from "refused" by the code, never by the message's words. Runs recorded
-- before this migration get a code from the one message the app used to recognise.
ALTER TABLE sync_runs ADD COLUMN error_code TEXT;
UPDATE sync_runs SET error_code = CASE
    WHEN error LIKE '无法连接同步服务器%' THEN 'offline'
    ELSE 'internal' END
WHERE error IS NOT NULL;
