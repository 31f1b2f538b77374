-- TinyScale schema, version 1. Postgres owns the truth; see docs/schema.md for why each
-- index exists. Never edit this file once released: add V2__... instead.

create table users (
  id            bigint generated always as identity primary key,
  -- stored lower-cased by the application, so a plain unique constraint is case-insensitive
  email         varchar(254) not null constraint users_email_key unique,
  password_hash varchar(100) not null,
  created_at    timestamptz  not null default current_timestamp
);

create table api_keys (
  id           bigint generated always as identity primary key,
  user_id      bigint       not null references users (id) on delete cascade,
  name         varchar(100) not null,
  -- SHA-256 (hex) of the key; the key itself is never stored
  key_hash     char(64)     not null constraint api_keys_key_hash_key unique,
  key_prefix   varchar(16)  not null,
  created_at   timestamptz  not null default current_timestamp,
  last_used_at timestamptz
);
create index api_keys_user_id_idx on api_keys (user_id);

create table urls (
  id            bigint generated always as identity primary key,
  short_code    varchar(64)   not null constraint urls_short_code_key unique,
  original_url  varchar(2048) not null,
  user_id       bigint        not null references users (id),
  created_at    timestamptz   not null default current_timestamp,
  updated_at    timestamptz   not null default current_timestamp,
  expires_at    timestamptz,
  redirect_type smallint      not null default 302
                constraint urls_redirect_type_check check (redirect_type in (301, 302, 307, 308)),
  disabled      boolean       not null default false,
  -- a deleted link keeps its row (clicks reference it) and its code (never reissued)
  deleted_at    timestamptz
);
create index urls_user_id_created_idx on urls (user_id, created_at, id);

create table clicks (
  id          bigint generated always as identity primary key,
  url_id      bigint       not null references urls (id),
  event_id    uuid         not null constraint clicks_event_id_key unique,
  ip_address  varchar(45),
  user_agent  varchar(1024),
  referrer    varchar(2048),
  country     char(2),
  browser     varchar(100),
  os          varchar(100),
  device      varchar(50),
  is_bot      boolean      not null default false,
  clicked_at  timestamptz  not null
);
create index clicks_url_id_clicked_at_idx on clicks (url_id, clicked_at);

create table url_stats_hourly (
  url_id bigint      not null references urls (id),
  hour   timestamptz not null,
  is_bot boolean     not null,
  count  bigint      not null,
  constraint url_stats_hourly_pkey primary key (url_id, hour, is_bot)
);

create table consumer_offsets (
  consumer_group varchar(200) not null,
  topic          varchar(200) not null,
  partition_id   integer      not null,
  next_offset    bigint       not null,
  updated_at     timestamptz  not null default current_timestamp,
  constraint consumer_offsets_pkey primary key (consumer_group, topic, partition_id)
);
