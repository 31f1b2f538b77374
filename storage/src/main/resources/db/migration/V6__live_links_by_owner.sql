-- GET /api/links counts and pages a user's live links (deleted_at is null). Along
-- urls_user_id_created_idx, which also holds deleted links, the count read each of the user's rows
-- from the table to drop the deleted ones, on every page. An index of live links alone answers the
-- count by itself (an index-only scan) and the page without a filter (before and after:
-- docs/schema.md). Dropping the old index is safe for a rollback: every version runs the same
-- queries, which the new one serves.
-- Not "concurrently": Flyway 13 holds its lock in a transaction on a second connection, and a
-- concurrent build waits for that transaction to end, for ever. The build blocks writes to urls
-- (link creation, not redirects) for a second or two per million links.
create index urls_user_id_live_created_idx on urls (user_id, created_at, id) where deleted_at is null;
drop index urls_user_id_created_idx;
