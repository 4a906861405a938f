-- Staff console: people, access and security. Staff users with roles, console sessions, short-lived
-- API tokens, long-lived API keys, admin-issued password links, and the audit log of every staff
-- change. Secrets are never stored: passwords as argon2id hashes, tokens and keys as SHA-256 of
-- 256-bit random values. No personal data of residents lives in any of these tables.

CREATE TABLE staff_users (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email          text NOT NULL CHECK (email = btrim(email) AND length(email) BETWEEN 3 AND 254),
  display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
  role           text NOT NULL CHECK (role IN ('admin', 'operator', 'agency', 'communications', 'viewer')),
  -- Agency ids of the city profile and ward codes (only the `agency` role uses them).
  agencies       text[] NOT NULL DEFAULT '{}',
  wards          text[] NOT NULL DEFAULT '{}',
  -- argon2id PHC string; null until the user sets a password through their one-time link.
  password_hash  text,
  active         boolean NOT NULL DEFAULT true,
  -- Consecutive failed sign-ins since the last success; reaching the limit locks the account.
  failed_logins  integer NOT NULL DEFAULT 0,
  locked_until   timestamptz,
  last_login_at  timestamptz,
  -- The simulator's development admin (rotated at every simulator start).
  dev_account    boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
-- Email is unique whatever its case.
CREATE UNIQUE INDEX staff_users_email ON staff_users (lower(email));

-- express-session store (connect-pg-simple's layout). Created here, never at run time.
CREATE TABLE staff_sessions (
  sid    varchar NOT NULL PRIMARY KEY,
  sess   json NOT NULL,
  expire timestamp(6) NOT NULL
);
CREATE INDEX staff_sessions_expire ON staff_sessions (expire);
CREATE INDEX staff_sessions_user ON staff_sessions ((sess ->> 'userId'));

-- Tokens of POST /api/staff/v1/tokens (at most 12 hours).
CREATE TABLE staff_tokens (
  token_hash  text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX staff_tokens_user ON staff_tokens (user_id);
CREATE INDEX staff_tokens_expires ON staff_tokens (expires_at);

-- Named long-lived API keys of the IOC's systems, each with a role and a scope.
CREATE TABLE staff_api_keys (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  role         text NOT NULL CHECK (role IN ('admin', 'operator', 'agency', 'communications', 'viewer')),
  agencies     text[] NOT NULL DEFAULT '{}',
  wards        text[] NOT NULL DEFAULT '{}',
  secret_hash  text NOT NULL,
  created_by   bigint REFERENCES staff_users(id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
-- A name is unique among the keys still in use.
CREATE UNIQUE INDEX staff_api_keys_name ON staff_api_keys (lower(name)) WHERE revoked_at IS NULL;

-- One-time links to set a password (new users, resets by an admin).
CREATE TABLE staff_password_links (
  token_hash  text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES staff_users(id) ON DELETE CASCADE,
  created_by  bigint REFERENCES staff_users(id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX staff_password_links_user ON staff_password_links (user_id);

-- Who did what, when: sign-ins, sign-outs, changes of users and keys, token issuance, and every
-- change other staff use cases record. Details name things; they never hold residents' data.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor_kind  text NOT NULL CHECK (actor_kind IN ('staff', 'integration', 'system', 'resident', 'anonymous')),
  actor_id    text,
  action      text NOT NULL CHECK (action ~ '^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$'),
  target_kind text,
  target_id   text,
  details     jsonb NOT NULL DEFAULT '{}',
  ip          text
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_action ON audit_log (action, at DESC);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id, at DESC);
