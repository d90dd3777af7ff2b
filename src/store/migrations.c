/* The schema, as numbered migrations: migration N brings the database from
 * user_version N-1 to N. Never edit a migration that has shipped; add a new
 * one at the end. */
#include "store_internal.h"

#include <stddef.h>

static const char *const migration_1[] = {
    /* 1: the walking skeleton. */
    "CREATE TABLE bot_state ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") WITHOUT ROWID;",
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  first_name TEXT,"
    "  last_name TEXT,"
    "  username TEXT,"
    "  language TEXT,"
    "  role TEXT NOT NULL DEFAULT 'citizen'"
    "    CHECK (role IN ('citizen', 'organiser', 'admin')),"
    "  blocked INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");",
    "CREATE TABLE chats ("
    "  id INTEGER PRIMARY KEY,"
    "  type TEXT NOT NULL,"
    "  title TEXT,"
    "  is_leaders_group INTEGER NOT NULL DEFAULT 0,"
    "  active INTEGER NOT NULL DEFAULT 1,"
    "  migrated_to INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");",
    /* Update ids seen recently: duplicates are recognised here, never by
     * comparing with the last id, because Telegram may restart ids at a
     * lower random value after a week of silence. */
    "CREATE TABLE processed_updates ("
    "  update_id INTEGER PRIMARY KEY,"
    "  processed_at INTEGER NOT NULL"
    ");",
    "CREATE INDEX processed_updates_at ON processed_updates(processed_at);",
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  chat_id INTEGER NOT NULL,"
    "  method TEXT NOT NULL,"
    "  payload TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  priority INTEGER NOT NULL,"
    "  not_before INTEGER NOT NULL DEFAULT 0,"
    "  state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  uncertain INTEGER NOT NULL DEFAULT 0,"
    "  coalesce_key TEXT,"
    "  ref_type TEXT,"
    "  ref_id INTEGER,"
    "  update_id INTEGER,"
    "  message_id INTEGER,"
    "  last_error TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  sent_at INTEGER"
    ");",
    "CREATE INDEX outbox_pending ON outbox(chat_id, id) WHERE state = 'pending';",
    "CREATE INDEX outbox_sending ON outbox(state) WHERE state = 'sending';",
    "CREATE UNIQUE INDEX outbox_coalesce ON outbox(coalesce_key)"
    "  WHERE state = 'pending' AND coalesce_key IS NOT NULL;",
    "CREATE INDEX outbox_ref ON outbox(ref_type, ref_id);",
    "CREATE TABLE dead_letters ("
    "  id INTEGER PRIMARY KEY,"
    "  update_id INTEGER,"
    "  raw TEXT NOT NULL,"
    "  error TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  replayed_at INTEGER"
    ");",
    NULL,
};

static const char *const migration_2[] = {
    /* 2: the domain — organisations, actions and their needs, pledges,
     * where announcements were posted, subscriptions, broadcasts, wizard
     * state and the log of role changes. */
    "CREATE INDEX outbox_due ON outbox(not_before) WHERE state = 'pending';",
    "CREATE INDEX outbox_queue ON outbox(priority, id) WHERE state = 'pending';",
    "CREATE TABLE orgs ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  description TEXT,"
    "  contacts TEXT,"
    "  created_at INTEGER NOT NULL"
    ");",
    "CREATE TABLE org_members ("
    "  org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (org_id, user_id)"
    ") WITHOUT ROWID;",
    "CREATE TABLE actions ("
    "  id INTEGER PRIMARY KEY,"
    "  org_id INTEGER REFERENCES orgs(id),"
    "  author_id INTEGER NOT NULL,"
    "  title TEXT NOT NULL,"
    "  description TEXT NOT NULL,"
    "  direction TEXT NOT NULL,"
    "  starts_at INTEGER," /* Unix seconds (UTC); NULL: ongoing */
    "  place TEXT,"
    "  goal_kopecks INTEGER CHECK (goal_kopecks IS NULL OR goal_kopecks > 0),"
    "  volunteers_needed INTEGER"
    "    CHECK (volunteers_needed IS NULL OR volunteers_needed > 0),"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),"
    "  result TEXT,"
    "  result_photo TEXT,"
    /* Bumped by every change that alters what an announcement shows; the
     * scheduler edits announcements whose shown_version lags behind. */
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  closed_at INTEGER"
    ");",
    "CREATE INDEX actions_status ON actions(status, id);",
    "CREATE TABLE needs ("
    "  id INTEGER PRIMARY KEY,"
    "  action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  item TEXT NOT NULL,"
    "  unit TEXT,"
    "  quantity INTEGER NOT NULL CHECK (quantity > 0)"
    ");",
    "CREATE INDEX needs_action ON needs(action_id, position);",
    "CREATE TABLE pledges ("
    "  id INTEGER PRIMARY KEY,"
    "  action_id INTEGER NOT NULL REFERENCES actions(id),"
    "  user_id INTEGER," /* NULL once the person asked to be forgotten */
    "  kind TEXT NOT NULL CHECK (kind IN ('money', 'goods', 'time')),"
    "  need_id INTEGER REFERENCES needs(id),"
    /* money: kopecks; goods: quantity; time: 1 (one volunteer) */
    "  amount INTEGER NOT NULL CHECK (amount > 0),"
    /* what actually arrived: kopecks, quantity, or hours volunteered */
    "  received_amount INTEGER,"
    "  anonymous INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL DEFAULT 'pledged'"
    "    CHECK (status IN ('pledged', 'received', 'withdrawn', 'lapsed')),"
    "  update_id INTEGER UNIQUE,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  received_at INTEGER,"
    "  received_by INTEGER,"
    "  reminded_at INTEGER"
    ");",
    "CREATE INDEX pledges_action ON pledges(action_id, status);",
    "CREATE INDEX pledges_user ON pledges(user_id, status);",
    "CREATE TABLE announcements ("
    "  id INTEGER PRIMARY KEY,"
    "  action_id INTEGER NOT NULL REFERENCES actions(id),"
    "  chat_id INTEGER NOT NULL,"
    "  outbox_id INTEGER,"
    "  message_id INTEGER,"
    "  shown_version INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL"
    ");",
    "CREATE INDEX announcements_action ON announcements(action_id);",
    "CREATE INDEX announcements_outbox ON announcements(outbox_id);",
    /* The sender stores Telegram's message_id in the outbox; announcements
     * learn theirs from it, so that progress can be edited in place. */
    "CREATE TRIGGER announcement_message_id AFTER UPDATE OF message_id"
    " ON outbox WHEN NEW.ref_type = 'announcement'"
    " AND NEW.message_id IS NOT NULL BEGIN"
    "  UPDATE announcements SET message_id = NEW.message_id"
    "  WHERE outbox_id = NEW.id;"
    " END;",
    "CREATE TABLE subscriptions ("
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  direction TEXT NOT NULL," /* '*' means every direction */
    "  PRIMARY KEY (user_id, direction)"
    ") WITHOUT ROWID;",
    "CREATE INDEX subscriptions_direction ON subscriptions(direction);",
    "ALTER TABLE users ADD COLUMN subscribe_asked INTEGER NOT NULL DEFAULT 0;",
    "CREATE TABLE broadcasts ("
    "  id INTEGER PRIMARY KEY,"
    "  author_id INTEGER NOT NULL,"
    "  audience TEXT NOT NULL,"
    "  direction TEXT,"
    "  from_chat_id INTEGER NOT NULL,"
    "  message_id INTEGER NOT NULL,"
    "  total INTEGER NOT NULL DEFAULT 0,"
    "  delivered INTEGER NOT NULL DEFAULT 0,"
    "  blocked INTEGER NOT NULL DEFAULT 0,"
    "  failed INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL DEFAULT 'sending'"
    "    CHECK (status IN ('sending', 'done')),"
    "  created_at INTEGER NOT NULL,"
    "  finished_at INTEGER"
    ");",
    /* A broadcast's counters follow its outbox rows. A row cancelled
     * because its chat went away counts as blocked. */
    "CREATE TRIGGER broadcast_counts AFTER UPDATE OF state ON outbox"
    " WHEN NEW.ref_type = 'broadcast' AND OLD.state IS NOT NEW.state"
    " AND NEW.state IN ('sent', 'failed', 'cancelled') BEGIN"
    "  UPDATE broadcasts SET"
    "   delivered = delivered + (NEW.state = 'sent'),"
    "   blocked = blocked + (NEW.state = 'cancelled' OR (NEW.state = 'failed'"
    "    AND NEW.last_error LIKE 'Forbidden%')),"
    "   failed = failed + (NEW.state = 'failed'"
    "    AND NEW.last_error NOT LIKE 'Forbidden%')"
    "  WHERE id = NEW.ref_id;"
    " END;",
    "CREATE TABLE conversations ("
    "  user_id INTEGER NOT NULL,"
    "  chat_id INTEGER NOT NULL,"
    "  flow TEXT NOT NULL,"
    "  step TEXT NOT NULL,"
    "  draft TEXT NOT NULL DEFAULT '{}',"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (user_id, chat_id)"
    ") WITHOUT ROWID;",
    "CREATE TABLE role_log ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL,"
    "  role TEXT NOT NULL,"
    "  changed_by INTEGER NOT NULL,"
    "  at INTEGER NOT NULL"
    ");",
    NULL,
};

static const char *const migration_3[] = {
    /* 3: someone who blocks the bot loses their subscriptions (see
     * users_set_blocked) and is asked again whether to subscribe when they
     * come back, whichever way the block was learnt (a 403 or a
     * my_chat_member update). */
    "CREATE TRIGGER users_blocked_ask_again AFTER UPDATE OF blocked ON users"
    " WHEN NEW.blocked = 1 AND OLD.blocked = 0 BEGIN"
    "  UPDATE users SET subscribe_asked = 0 WHERE id = NEW.id;"
    " END;",
    NULL,
};

static const char *const migration_4[] = {
    /* 4: privacy. The last name was stored but never used: no more. The
     * last message to a person who asked to be forgotten (outbox kind
     * 'forgotten') leaves no row behind, not even their chat id, once it
     * has been sent or given up. */
    "UPDATE users SET last_name = NULL WHERE last_name IS NOT NULL;",
    "CREATE TRIGGER outbox_forgotten_done AFTER UPDATE OF state ON outbox"
    " WHEN NEW.kind = 'forgotten'"
    " AND NEW.state IN ('sent', 'failed', 'cancelled') BEGIN"
    "  DELETE FROM outbox WHERE id = NEW.id;"
    " END;",
    NULL,
};

static const char *const migration_5[] = {
    /* 5: pledges and announcements. A pledge keeps the name public views
     * show ("Иван П.": the first name and the initial of the last name, as
     * Telegram gave them when the pledge was made), which goes when the
     * person is forgotten (user_id set to NULL). The progress job finds
     * announcements that lag behind their action through an index, and
     * needs find their pledges through another. */
    "ALTER TABLE pledges ADD COLUMN display_name TEXT;",
    "CREATE TRIGGER pledges_forgotten AFTER UPDATE OF user_id ON pledges"
    " WHEN NEW.user_id IS NULL AND OLD.user_id IS NOT NULL BEGIN"
    "  UPDATE pledges SET display_name = NULL WHERE id = NEW.id;"
    " END;",
    "CREATE INDEX announcements_stale ON announcements(action_id,"
    " shown_version) WHERE message_id IS NOT NULL;",
    "CREATE INDEX pledges_need ON pledges(need_id);",
    NULL,
};

static const char *const migration_6[] = {
    /* 6: trust and recognition. A pledger who answers the expiry reminder
     * that they already handed the pledge over claims it (claimed_at): it
     * then waits for the organiser and never lapses. The expiry job finds
     * live pledges by age through a partial index. */
    "ALTER TABLE pledges ADD COLUMN claimed_at INTEGER;",
    "CREATE INDEX pledges_live ON pledges(created_at)"
    " WHERE status = 'pledged';",
    NULL,
};

static const char *const migration_7[] = {
    /* 7: an export's file holds other people's names. Once its outbox row
     * is done, the copy there goes: the organiser has the document, and the
     * names of people who ask to be forgotten later must not linger. A
     * constant, not json_remove(): functions in the schema must be
     * innocuous, and SQLite 3.40's JSON functions are not marked so. */
    "CREATE TRIGGER outbox_export_done AFTER UPDATE OF state ON outbox"
    " WHEN NEW.kind = 'export'"
    " AND NEW.state IN ('sent', 'failed', 'cancelled') BEGIN"
    "  UPDATE outbox SET payload = '{\"_upload\": \"dropped once done\"}'"
    "  WHERE id = NEW.id;"
    " END;",
    NULL,
};

static const char *const migration_8[] = {
    /* 8: organisations become first-class. Migration 2's orgs table had a
     * free-form `contacts` column that nothing ever wrote; the contacts
     * are now phone, address and link, so that each can be checked. The
     * services an organisation provides and its directions are lines of
     * text (directions: the configured names, one per line). name_key is
     * the case-folded name: «Надежда» and «НАДЕЖДА» are one organisation,
     * which is what makes a second CSV import update instead of
     * duplicating. Citizens follow organisations as they subscribe to
     * directions. */
    "ALTER TABLE orgs ADD COLUMN name_key TEXT;",
    "ALTER TABLE orgs ADD COLUMN services TEXT;",
    "ALTER TABLE orgs ADD COLUMN phone TEXT;",
    "ALTER TABLE orgs ADD COLUMN address TEXT;",
    "ALTER TABLE orgs ADD COLUMN link TEXT;",
    "ALTER TABLE orgs ADD COLUMN directions TEXT NOT NULL DEFAULT '';",
    "ALTER TABLE orgs ADD COLUMN updated_at INTEGER;",
    "CREATE UNIQUE INDEX orgs_name_key ON orgs(name_key);",
    "CREATE INDEX org_members_user ON org_members(user_id);",
    "CREATE TABLE org_followers ("
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (user_id, org_id)"
    ") WITHOUT ROWID;",
    "CREATE INDEX org_followers_org ON org_followers(org_id);",
    "CREATE INDEX actions_org ON actions(org_id, status);",
    NULL,
};

static const char *const migration_9[] = {
    /* 9: recognition documents — thank-you letters and
     * records of volunteering. The id is the printed number; the code is
     * the random, unguessable part of the public verify address. A
     * document is queued by an update and made (PDF, verify page, outbox
     * row) by the documents job a few at a time, so that 200 letters do
     * not hold up anybody's replies. The totals are what was printed, for
     * the verify page. One letter per person and action (a revoked one
     * may be issued again). */
    "CREATE TABLE documents ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('letter', 'record')),"
    "  user_id INTEGER NOT NULL,"
    "  chat_id INTEGER NOT NULL,"
    "  action_id INTEGER REFERENCES actions(id),"
    "  issued_by INTEGER,"
    "  holder_name TEXT NOT NULL,"
    "  name_chosen INTEGER NOT NULL DEFAULT 0,"
    "  show_money INTEGER NOT NULL DEFAULT 0,"
    "  state TEXT NOT NULL DEFAULT 'queued'"
    "   CHECK (state IN ('queued', 'issued', 'failed')),"
    "  org_name TEXT,"
    "  actions INTEGER NOT NULL DEFAULT 0,"
    "  hours INTEGER NOT NULL DEFAULT 0,"
    "  times INTEGER NOT NULL DEFAULT 0,"
    "  goods INTEGER NOT NULL DEFAULT 0,"
    "  money INTEGER NOT NULL DEFAULT 0,"
    "  error TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  issued_at INTEGER,"
    "  revoked_at INTEGER,"
    "  revoked_by INTEGER,"
    "  revoke_reason TEXT"
    ");",
    "CREATE INDEX documents_user ON documents(user_id);",
    "CREATE INDEX documents_queued ON documents(id) WHERE state = 'queued';",
    "CREATE UNIQUE INDEX documents_letter ON documents(action_id, user_id)"
    " WHERE kind = 'letter' AND revoked_at IS NULL;",
    /* A PDF names its holder: once sent, the outbox keeps no copy (as
     * migration 7 does for exports). */
    "CREATE TRIGGER outbox_document_done AFTER UPDATE OF state ON outbox"
    " WHEN NEW.kind = 'document'"
    " AND NEW.state IN ('sent', 'failed', 'cancelled') BEGIN"
    "  UPDATE outbox SET payload = '{\"_upload\": \"dropped once done\"}'"
    "  WHERE id = NEW.id;"
    " END;",
    NULL,
};

static const char *const migration_10[] = {
    /* 10: how a person is shown in the lists of helpers when a quick
     * /pledge does not say: NULL not asked yet (shown as «аноним» until
     * they answer the one-time question), 1 their public name ("Мария
     * П."), 0 anonymous. */
    "ALTER TABLE users ADD COLUMN show_name INTEGER"
    " CHECK (show_name IS NULL OR show_name IN (0, 1));",
    NULL,
};

static const char *const migration_11[] = {
    /* 11: an action carries how to pay (реквизиты, an СБП link: shown to
     * those who pledge money) and its poster (a Telegram file_id; the announcement is a photo with a
     * caption, and a public site can fetch the file by it). An organiser
     * may let their Telegram @username be shown on their actions as the
     * way to reach them. */
    "ALTER TABLE actions ADD COLUMN payment TEXT;",
    "ALTER TABLE actions ADD COLUMN poster_file_id TEXT;",
    "ALTER TABLE users ADD COLUMN contact_public INTEGER NOT NULL DEFAULT 0;",
    /* A copy posted as the poster's caption is edited as a caption. */
    "ALTER TABLE announcements ADD COLUMN caption INTEGER NOT NULL"
    " DEFAULT 0;",
    NULL,
};

static const char *const migration_12[] = {
    /* 12: the sender's queue heads. outbox_heads holds, for each chat and
     * priority with pending rows, the oldest of them; triggers keep it
     * true on every insert, state change, move and delete. The sender
     * walks it in (priority, head_id) order and stops after the
     * candidates it wants, so one chat's backlog of thousands is one
     * entry and costs nothing to the others (the scan it replaces read
     * rows in (priority, id) order and gave up after a bounded number).
     * outbox_chat_queue finds a chat's next pending row (and counts a
     * chat's pending replies for the per-chat cap); it supersedes
     * outbox_pending. user_budget counts each user's updates in the
     * current minute, committed with the batch that counted them. */
    "CREATE INDEX outbox_chat_queue ON outbox(chat_id, priority, id)"
    "  WHERE state = 'pending';",
    "DROP INDEX outbox_pending;",
    /* The old scan's order; the heads replace it. */
    "DROP INDEX outbox_queue;",
    /* Every row is written to each index it is in, and most rows are
     * replies sent at once: neither a back-reference (ref_type) nor a
     * time to wait for (not_before 0). Only rows that have one are
     * indexed by it. */
    "DROP INDEX outbox_ref;",
    "CREATE INDEX outbox_ref ON outbox(ref_type, ref_id)"
    "  WHERE ref_type IS NOT NULL;",
    "DROP INDEX outbox_due;",
    "CREATE INDEX outbox_due ON outbox(not_before)"
    "  WHERE state = 'pending' AND not_before > 0;",
    "CREATE TABLE outbox_heads ("
    "  chat_id INTEGER NOT NULL,"
    "  priority INTEGER NOT NULL,"
    "  head_id INTEGER NOT NULL,"
    "  PRIMARY KEY (chat_id, priority)"
    ") WITHOUT ROWID;",
    "CREATE INDEX outbox_heads_order ON outbox_heads(priority, head_id);",
    "INSERT INTO outbox_heads(chat_id, priority, head_id)"
    "  SELECT chat_id, priority, min(id) FROM outbox"
    "  WHERE state = 'pending' GROUP BY chat_id, priority;",
    "CREATE TRIGGER outbox_heads_insert AFTER INSERT ON outbox"
    " WHEN NEW.state = 'pending' BEGIN"
    "  INSERT INTO outbox_heads(chat_id, priority, head_id)"
    "  VALUES (NEW.chat_id, NEW.priority, NEW.id)"
    "  ON CONFLICT(chat_id, priority)"
    "  DO UPDATE SET head_id = min(head_id, excluded.head_id);"
    " END;",
    /* The queue heads follow each row that leaves 'pending' (sent,
     * failed, cancelled, or on its way), enters it (a retry), or moves to
     * another chat or priority. The sender changes every row's state
     * twice, so the common cases are cheap: a row leaving its queue
     * touches the head only when it was the head, and one entering it
     * only lowers the head (ORDER BY id LIMIT 1 rather than min(), which
     * the planner would not turn into a seek here). */
    "CREATE TRIGGER outbox_heads_leave AFTER UPDATE OF state ON outbox"
    " WHEN OLD.state = 'pending' AND NEW.state != 'pending'"
    " AND OLD.chat_id = NEW.chat_id AND OLD.priority = NEW.priority BEGIN"
    "  DELETE FROM outbox_heads WHERE chat_id = OLD.chat_id"
    "  AND priority = OLD.priority AND head_id = OLD.id;"
    "  INSERT OR IGNORE INTO outbox_heads(chat_id, priority, head_id)"
    "  SELECT chat_id, priority, id FROM outbox"
    "  WHERE chat_id = OLD.chat_id AND priority = OLD.priority"
    "  AND state = 'pending' ORDER BY id LIMIT 1;"
    " END;",
    "CREATE TRIGGER outbox_heads_enter AFTER UPDATE OF state ON outbox"
    " WHEN OLD.state != 'pending' AND NEW.state = 'pending'"
    " AND OLD.chat_id = NEW.chat_id AND OLD.priority = NEW.priority BEGIN"
    "  INSERT INTO outbox_heads(chat_id, priority, head_id)"
    "  VALUES (NEW.chat_id, NEW.priority, NEW.id)"
    "  ON CONFLICT(chat_id, priority)"
    "  DO UPDATE SET head_id = min(head_id, excluded.head_id);"
    " END;",
    "CREATE TRIGGER outbox_heads_move AFTER UPDATE OF chat_id, priority"
    " ON outbox WHEN (OLD.state = 'pending' OR NEW.state = 'pending')"
    " AND (OLD.chat_id != NEW.chat_id OR OLD.priority != NEW.priority) BEGIN"
    "  DELETE FROM outbox_heads"
    "  WHERE chat_id = OLD.chat_id AND priority = OLD.priority;"
    "  INSERT OR REPLACE INTO outbox_heads(chat_id, priority, head_id)"
    "  SELECT chat_id, priority, id FROM outbox"
    "  WHERE chat_id = OLD.chat_id AND priority = OLD.priority"
    "  AND state = 'pending' ORDER BY id LIMIT 1;"
    "  INSERT OR REPLACE INTO outbox_heads(chat_id, priority, head_id)"
    "  SELECT chat_id, priority, id FROM outbox"
    "  WHERE chat_id = NEW.chat_id AND priority = NEW.priority"
    "  AND state = 'pending' ORDER BY id LIMIT 1;"
    " END;",
    "CREATE TRIGGER outbox_heads_delete AFTER DELETE ON outbox"
    " WHEN OLD.state = 'pending' BEGIN"
    "  DELETE FROM outbox_heads"
    "  WHERE chat_id = OLD.chat_id AND priority = OLD.priority;"
    "  INSERT OR REPLACE INTO outbox_heads(chat_id, priority, head_id)"
    "  SELECT chat_id, priority, id FROM outbox"
    "  WHERE chat_id = OLD.chat_id AND priority = OLD.priority"
    "  AND state = 'pending' ORDER BY id LIMIT 1;"
    " END;",
    "CREATE TABLE user_budget ("
    "  user_id INTEGER PRIMARY KEY,"
    "  window_start INTEGER NOT NULL,"
    "  updates INTEGER NOT NULL,"
    "  warned INTEGER NOT NULL DEFAULT 0"
    ");",
    NULL,
};

static const char *const migration_13[] = {
    /* 13: cheaper outbox writes (issue 21; measured with callgrind, 5,000
     * updates each answered). Every reply's row is inserted once and its
     * state changed twice (sending, then sent), and two things made each
     * of those three statements cost far more than the row:
     * - the CHECK on state: SQLite codes an IN list of more than two
     *   constants as a temporary b-tree built for every statement run
     *   (two zeroed pages and a table creation: 12 % of the program's
     *   instructions). The table is rebuilt with the same columns and the
     *   same allowed states written as equalities;
     * - seven triggers on a change of state or message_id, each its own
     *   sub-program with its own frame allocated per row, whether its WHEN
     *   held or not. They become one trigger whose statements carry their
     *   old WHEN conditions in their WHERE clauses; a condition that names
     *   only OLD and NEW is tested once, before any table is opened. (No
     *   IN lists in it either, for the same reason as above.)
     * The indexes are those of migration 12; the other triggers on outbox
     * (insert, move, delete) are migration 12's, made again since the
     * table is new. */
    "CREATE TABLE outbox_new ("
    "  id INTEGER PRIMARY KEY,"
    "  chat_id INTEGER NOT NULL,"
    "  method TEXT NOT NULL,"
    "  payload TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  priority INTEGER NOT NULL,"
    "  not_before INTEGER NOT NULL DEFAULT 0,"
    "  state TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (state = 'pending' OR state = 'sending' OR state = 'sent'"
    "    OR state = 'failed' OR state = 'cancelled'),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  uncertain INTEGER NOT NULL DEFAULT 0,"
    "  coalesce_key TEXT,"
    "  ref_type TEXT,"
    "  ref_id INTEGER,"
    "  update_id INTEGER,"
    "  message_id INTEGER,"
    "  last_error TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  sent_at INTEGER"
    ");",
    "INSERT INTO outbox_new(id, chat_id, method, payload, kind, priority,"
    "  not_before, state, attempts, uncertain, coalesce_key, ref_type,"
    "  ref_id, update_id, message_id, last_error, created_at, sent_at)"
    "  SELECT id, chat_id, method, payload, kind, priority, not_before,"
    "  state, attempts, uncertain, coalesce_key, ref_type, ref_id,"
    "  update_id, message_id, last_error, created_at, sent_at FROM outbox;",
    "DROP TABLE outbox;",
    "ALTER TABLE outbox_new RENAME TO outbox;",
    "CREATE INDEX outbox_sending ON outbox(state) WHERE state = 'sending';",
    "CREATE UNIQUE INDEX outbox_coalesce ON outbox(coalesce_key)"
    "  WHERE state = 'pending' AND coalesce_key IS NOT NULL;",
    "CREATE INDEX outbox_chat_queue ON outbox(chat_id, priority, id)"
    "  WHERE state = 'pending';",
    "CREATE INDEX outbox_ref ON outbox(ref_type, ref_id)"
    "  WHERE ref_type IS NOT NULL;",
    "CREATE INDEX outbox_due ON outbox(not_before)"
    "  WHERE state = 'pending' AND not_before > 0;",
    "CREATE TRIGGER outbox_heads_insert AFTER INSERT ON outbox"
    " WHEN NEW.state = 'pending' BEGIN"
    "  INSERT INTO outbox_heads(chat_id, priority, head_id)"
    "  VALUES (NEW.chat_id, NEW.priority, NEW.id)"
    "  ON CONFLICT(chat_id, priority)"
    "  DO UPDATE SET head_id = min(head_id, excluded.head_id);"
    " END;",
    "CREATE TRIGGER outbox_heads_move AFTER UPDATE OF chat_id, priority"
    " ON outbox WHEN (OLD.state = 'pending' OR NEW.state = 'pending')"
    " AND (OLD.chat_id != NEW.chat_id OR OLD.priority != NEW.priority) BEGIN"
    "  DELETE FROM outbox_heads"
    "  WHERE chat_id = OLD.chat_id AND priority = OLD.priority;"
    "  INSERT OR REPLACE INTO outbox_heads(chat_id, priority, head_id)"
    "  SELECT chat_id, priority, id FROM outbox"
    "  WHERE chat_id = OLD.chat_id AND priority = OLD.priority"
    "  AND state = 'pending' ORDER BY id LIMIT 1;"
    "  INSERT OR REPLACE INTO outbox_heads(chat_id, priority, head_id)"
    "  SELECT chat_id, priority, id FROM outbox"
    "  WHERE chat_id = NEW.chat_id AND priority = NEW.priority"
    "  AND state = 'pending' ORDER BY id LIMIT 1;"
    " END;",
    "CREATE TRIGGER outbox_heads_delete AFTER DELETE ON outbox"
    " WHEN OLD.state = 'pending' BEGIN"
    "  DELETE FROM outbox_heads"
    "  WHERE chat_id = OLD.chat_id AND priority = OLD.priority;"
    "  INSERT OR REPLACE INTO outbox_heads(chat_id, priority, head_id)"
    "  SELECT chat_id, priority, id FROM outbox"
    "  WHERE chat_id = OLD.chat_id AND priority = OLD.priority"
    "  AND state = 'pending' ORDER BY id LIMIT 1;"
    " END;",
    /* What migrations 2, 4, 7, 9 and 12 did on a change of state or of
     * message_id, in one trigger, statement by statement:
     * - the queue head follows a row that leaves 'pending' (it moves only
     *   when that row was the head) or enters it (it can only go lower);
     * - a broadcast's counters follow its rows (a row cancelled because
     *   its chat went away counts as blocked);
     * - an export's or a document's file is dropped once its row is done;
     * - an announcement learns its message_id;
     * - the last message to a forgotten person leaves no row once done
     *   (last: nothing after it may need the row). */
    "CREATE TRIGGER outbox_changed AFTER UPDATE OF state, message_id"
    " ON outbox BEGIN"
    "  DELETE FROM outbox_heads"
    "  WHERE OLD.state = 'pending' AND NEW.state != 'pending'"
    "  AND OLD.chat_id = NEW.chat_id AND OLD.priority = NEW.priority"
    "  AND chat_id = OLD.chat_id AND priority = OLD.priority"
    "  AND head_id = OLD.id;"
    "  INSERT OR IGNORE INTO outbox_heads(chat_id, priority, head_id)"
    "  SELECT chat_id, priority, id FROM outbox"
    "  WHERE OLD.state = 'pending' AND NEW.state != 'pending'"
    "  AND OLD.chat_id = NEW.chat_id AND OLD.priority = NEW.priority"
    "  AND chat_id = OLD.chat_id AND priority = OLD.priority"
    "  AND state = 'pending' ORDER BY id LIMIT 1;"
    "  INSERT INTO outbox_heads(chat_id, priority, head_id)"
    "  SELECT NEW.chat_id, NEW.priority, NEW.id"
    "  WHERE OLD.state != 'pending' AND NEW.state = 'pending'"
    "  AND OLD.chat_id = NEW.chat_id AND OLD.priority = NEW.priority"
    "  ON CONFLICT(chat_id, priority)"
    "  DO UPDATE SET head_id = min(head_id, excluded.head_id);"
    "  UPDATE broadcasts SET"
    "   delivered = delivered + (NEW.state = 'sent'),"
    "   blocked = blocked + (NEW.state = 'cancelled' OR (NEW.state = 'failed'"
    "    AND NEW.last_error LIKE 'Forbidden%')),"
    "   failed = failed + (NEW.state = 'failed'"
    "    AND NEW.last_error NOT LIKE 'Forbidden%')"
    "  WHERE NEW.ref_type = 'broadcast' AND OLD.state IS NOT NEW.state"
    "  AND (NEW.state = 'sent' OR NEW.state = 'failed'"
    "   OR NEW.state = 'cancelled')"
    "  AND id = NEW.ref_id;"
    "  UPDATE outbox SET payload = '{\"_upload\": \"dropped once done\"}'"
    "  WHERE (NEW.kind = 'export' OR NEW.kind = 'document')"
    "  AND (NEW.state = 'sent' OR NEW.state = 'failed'"
    "   OR NEW.state = 'cancelled')"
    "  AND id = NEW.id;"
    "  UPDATE announcements SET message_id = NEW.message_id"
    "  WHERE NEW.ref_type = 'announcement' AND NEW.message_id IS NOT NULL"
    "  AND outbox_id = NEW.id;"
    "  DELETE FROM outbox"
    "  WHERE NEW.kind = 'forgotten'"
    "  AND (NEW.state = 'sent' OR NEW.state = 'failed'"
    "   OR NEW.state = 'cancelled')"
    "  AND id = NEW.id;"
    " END;",
    NULL,
};

/* 14: a person may refuse the council-wide broadcasts (audience "all"),
 * which otherwise reach everyone who ever wrote to the bot: the stop button
 * under such a copy, and a toggle in /subscribe (issue 18). */
static const char *const migration_14[] = {
    "ALTER TABLE users ADD COLUMN general_broadcasts INTEGER NOT NULL"
    " DEFAULT 1 CHECK (general_broadcasts IN (0, 1));",
    NULL,
};

/* 15: the index of each chat's queue carries the state too (issue 21).
 * Counting a chat's waiting replies (the per-chat cap, at every update) and
 * finding a queue's next row (the heads trigger, at every send) named
 * `state`, which the partial index implies but did not hold, so SQLite read
 * each row of the range from the table: a backlog of 450 rows in one chat
 * made every update of that chat read 450 rows. With the column in the
 * index, both are answered from the index alone. */
static const char *const migration_15[] = {
    "DROP INDEX outbox_chat_queue;",
    "CREATE INDEX outbox_chat_queue ON outbox(chat_id, priority, id, state)"
    "  WHERE state = 'pending';",
    NULL,
};

static const char *const *const migrations[] = {
    migration_1,
    migration_2,
    migration_3,
    migration_4,
    migration_5,
    migration_6,
    migration_7,
    migration_8,
    migration_9,
    migration_10,
    migration_11,
    migration_12,
    migration_13,
    migration_14,
    migration_15,
};

int
store_schema_version(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *const *
store_migration(int version)
{
	if (version < 1 || version > store_schema_version())
		return NULL;
	return migrations[version - 1];
}
