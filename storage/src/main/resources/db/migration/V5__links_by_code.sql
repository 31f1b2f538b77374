-- GET /api/links?sort=code|-code pages along a user's codes, as sort=createdAt pages along
-- urls_user_id_created_idx.
create index urls_user_id_short_code_idx on urls (user_id, short_code);
