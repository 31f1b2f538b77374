-- Admin rights are a stored flag that the operator sets (./tinyscale admin grant EMAIL), never
-- inferred from a registration: until V3 whoever first registered an address listed in
-- TINYSCALE_ADMIN_EMAILS became an admin without proving they own it.
alter table users add column is_admin boolean not null default false;
