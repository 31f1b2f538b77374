-- GET /api/links counts and pages a user's live links (deleted_at is null). Along
-- urls_user_id_created_idx, which also holds deleted links, the count read each of the user's rows
-- from the table to drop the deleted ones, on every page. An index of live links alone answers the
-- count by itself (an index-only scan) and the page without a filter (before and after:
-- docs/schema.md). urls_user_id_short_code_idx still covers every row by user_id.
create index urls_user_id_live_created_idx on urls (user_id, created_at, id) where deleted_at is null;
drop index urls_user_id_created_idx;
