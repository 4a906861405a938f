-- The Zalo OA token pair, one row per OA. Refresh tokens are single-use: every refresh replaces the
-- row inside the transaction that holds pg_advisory_xact_lock for the OA (see zalo-token-repo.ts).
CREATE TABLE zalo_tokens (
  oa_id         text PRIMARY KEY,
  access_token  text,
  refresh_token text NOT NULL,
  expires_at    timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  refresh_count integer NOT NULL DEFAULT 0
);
