-- Photo redaction: what the public sees of every stored photo. The original (its content key) is
-- for staff only; the public copy pixelates the automatic face boxes, or the boxes staff saved
-- (plates, house numbers, faces the detector missed). No public copy exists until the face detector
-- has run (`detected_at`), so a photo is not public before then. Boxes are pixels of the stored
-- photo: [{"x","y","w","h"}], automatic ones with their "score".

-- Not a foreign key to media: a photo is recorded here at once, outside the conversation turn that
-- stores it (whose transaction writes the media row), so the detector job never waits for a commit.
CREATE TABLE photo_redactions (
  media_key          text PRIMARY KEY,
  width              integer NOT NULL CHECK (width > 0),
  height             integer NOT NULL CHECK (height > 0),
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'auto', 'reviewed')),
  auto_boxes         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(auto_boxes) = 'array'),
  -- Model and settings that produced auto_boxes, e.g. 'face-api@1.7.15 ssd-mobilenet-v1 min=0.4 tiles=2x2'.
  detector           text,
  detected_at        timestamptz,
  staff_boxes        jsonb CHECK (staff_boxes IS NULL OR jsonb_typeof(staff_boxes) = 'array'),
  reviewed_by_kind   text CHECK (reviewed_by_kind IN ('staff', 'integration')),
  reviewed_by_id     text,
  reviewed_at        timestamptz,
  redacted_key       text,
  redacted_thumb_key text,
  revision           integer NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  -- A public copy only once the detector has run; reviewed rows carry the staff boxes.
  CHECK (detected_at IS NOT NULL OR status <> 'auto'),
  CHECK (status <> 'reviewed' OR staff_boxes IS NOT NULL),
  CHECK ((redacted_key IS NULL) = (redacted_thumb_key IS NULL))
);
-- The sweep looks for photos the detector has not handled.
CREATE INDEX photo_redactions_undetected ON photo_redactions (updated_at) WHERE detected_at IS NULL;

-- Every change: the detector's run, a staff save, a reset to the automatic boxes.
CREATE TABLE photo_redaction_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  media_key  text NOT NULL REFERENCES photo_redactions(media_key) ON DELETE CASCADE,
  at         timestamptz NOT NULL DEFAULT now(),
  action     text NOT NULL CHECK (action IN ('detected', 'saved', 'reset')),
  actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'integration', 'system')),
  actor_id   text,
  boxes      jsonb NOT NULL,
  redacted_key text NOT NULL,
  revision   integer NOT NULL
);
CREATE INDEX photo_redaction_events_key ON photo_redaction_events (media_key, id);

-- Which reports hold a photo (scope of agency users, the staff page's links).
CREATE INDEX report_photos_by_media_key ON report_photos (media_key);

-- Photos stored before this migration wait for the detector like new ones (the sweep queues them).
INSERT INTO photo_redactions (media_key, width, height, updated_at)
SELECT key, width, height, '-infinity'::timestamptz FROM media
ON CONFLICT DO NOTHING;
