/**
 * Scheduled: residents' raw messages are not kept longer than needed. Webhook bodies older than
 * INBOX_RETENTION_DAYS are emptied (their rows and dedupe keys stay, so a late redelivery is still
 * recognised), recorded replies with them, and spent map-link tokens once expired.
 */
import type { Clock, RetentionRepo } from '../domain/reports/ports';

export class PurgeRetained {
  constructor(private readonly d: { retention: RetentionRepo; clock: Clock; retentionDays: number }) {}

  async run(batch = 5_000): Promise<number> {
    const before = new Date(this.d.clock.now().getTime() - this.d.retentionDays * 86_400_000);
    let total = 0;
    for (;;) {
      const n = await this.d.retention.purge(before, batch);
      total += n;
      if (n < batch) return total;
    }
  }
}
