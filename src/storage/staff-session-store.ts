/**
 * Console sessions in PostgreSQL: connect-pg-simple's express-session store on `staff_sessions`
 * (created by migration 010, never at run time), plus ending every session of one user.
 */
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { StaffSessionsPort } from '../domain/staff/ports';
import type { Logger } from '../logger';
import type { Db } from './db';

const PgStore = connectPgSimple(session);

export class PgStaffSessionStore extends PgStore implements StaffSessionsPort {
  private readonly sql: Db;

  constructor(db: Db, logger: Logger) {
    super({
      pool: db.pool,
      tableName: 'staff_sessions',
      createTableIfMissing: false,
      pruneSessionInterval: 15 * 60,
      errorLog: (...args: unknown[]) => logger.error({ err: args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ') }, 'console session store'),
    });
    this.sql = db;
  }

  async destroyAllFor(userId: string): Promise<number> {
    const r = await this.sql.query("DELETE FROM staff_sessions WHERE sess ->> 'userId' = $1", [userId]);
    return r.rowCount ?? 0;
  }
}
