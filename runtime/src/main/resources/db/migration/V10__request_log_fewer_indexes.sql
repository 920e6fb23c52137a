-- Every request log written maintains each of the table's indexes (H2 rewrites the touched pages of
-- each at every commit): the time-only index served nothing but the retention purge, which now
-- deletes organization by organization through request_log_org_time (RequestLogStore.purgeBefore).
DROP INDEX IF EXISTS request_log_at;
