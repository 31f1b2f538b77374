-- The data of ./tinyscale bench explain (psql variables: users, links, heavy_links, clicks,
-- days). Shaped like a shared instance two years in: one large account (heavy_links links, the
-- worst case of GET /api/links) and many small ones; link popularity log-uniform (a few links
-- get most clicks, as short links do); clicks over the last `days` days, the hourly rollups
-- made from them as the aggregator would have, and a week of the aggregator's event ids.
-- Run on empty tables (explain.sh truncates them first).
\set ON_ERROR_STOP 1

insert into users (email, password_hash, created_at)
select 'explain' || g || '@example.com', '$2a$10$' || repeat('x', 53),
       now() - interval '2 years' + g * interval '1 minute'
from generate_series(1, :users) g;

-- every (links / heavy_links)th link belongs to the heavy account (the first user), made over the
-- two years among everyone else's, so that its rows are spread over the table as they would be;
-- the others belong to the other users in turn. Codes are random-looking 7-character base-36
-- strings, a bijection of g (a multiplier coprime with 36^7), so they never collide. 2 % deleted,
-- 1 % disabled, 10 % permanent redirects, 5 % with an expiry (a tenth of those past), in every
-- account alike (decided on g / 10).
insert into urls (short_code, original_url, user_id, created_at, updated_at, expires_at,
                  redirect_type, disabled, deleted_at)
select code, 'https://example.com/articles/' || g || '?utm_source=newsletter',
       case when g % (:links / :heavy_links) = 0 then (select min(id) from users)
            else (select min(id) from users) + 1 + (g % (:users - 1)) end,
       created, created,
       case when g / 10 % 20 = 0
            then created + case when g / 10 % 200 = 0 then interval '1 day' else interval '3 years' end end,
       case when g / 10 % 10 = 1 then 301 else 302 end,
       g / 10 % 100 = 7,
       case when g / 10 % 50 = 3 then created + interval '1 day' end
from (
  select g, now() - interval '730 days' + (g::double precision / :links) * interval '730 days' as created,
         (select string_agg(substr('0123456789abcdefghijklmnopqrstuvwxyz',
                                   (div((g::numeric * 2654435761) % 78364164096, 36::numeric ^ p) % 36)::int + 1, 1), '' order by p)
          from generate_series(0, 6) p) as code
  from generate_series(1, :links) g
) s;

-- url_id log-uniform over the links: link rank r gets a share ~ 1/r
insert into clicks (url_id, event_id, ip_address, user_agent, referrer, country, browser, os,
                    device, is_bot, clicked_at)
select (select min(id) from urls) + least(:links - 1, floor(exp(random() * ln(:links)))::bigint - 1),
       gen_random_uuid(),
       '203.0.' || (g % 250) || '.0',
       (array['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
              'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
              'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
              'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'])[1 + g % 4],
       case when g % 3 = 0 then 'https://news.example.org/item?id=' || (g % 1000) end,
       (array['US', 'DE', 'FR', 'GB', 'NL', 'IN', 'BR', 'JP'])[1 + g % 8],
       (array['Chrome', 'Safari', 'Firefox', 'Googlebot'])[1 + g % 4],
       (array['Windows NT', 'iOS', 'Linux', null])[1 + g % 4],
       (array['Desktop', 'Phone', 'Desktop', 'Robot'])[1 + g % 4],
       g % 4 = 3,
       now() - random() * (:days * interval '1 day')
from generate_series(1, :clicks) g;

insert into url_stats_hourly (url_id, hour, is_bot, count)
select url_id, date_trunc('hour', clicked_at), is_bot, count(*)
from clicks
group by 1, 2, 3;

insert into aggregated_events (event_id, aggregated_at)
select event_id, clicked_at from clicks where clicked_at > now() - interval '7 days';

insert into consumer_offsets (consumer_group, topic, partition_id, next_offset)
select 'tinyscale-aggregator', 'clicks@explain', p, :clicks / 6
from generate_series(0, 5) p;
