-- 0006: the hourly cap of login failures for names without an account (issue 14 item 6). Such
-- names are throttled like accounts (login_throttle scope 'account', key 'name:<username>'), so
-- "locked" no longer tells which usernames exist; the cap counts their history by name.
CREATE INDEX login_history_unknown_name_at ON login_history (username, at) WHERE user_id IS NULL;
