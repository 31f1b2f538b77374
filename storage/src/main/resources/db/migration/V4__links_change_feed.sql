-- The search index follows links by (updated_at, id): every create, change and delete sets
-- updated_at (link/LinkSearchIndex).
create index urls_updated_at_id_idx on urls (updated_at, id);
