/** What the report desk's pages and API are built from (wired in `src/main.ts` through `createReportDesk`). */
import type { StaffNoticeQueries } from '../../app/remind-overdue';
import type { StaffReportActions } from '../../app/staff-report-actions';
import type { StaffReportQueries } from '../../app/staff-report-queries';
import type { CityProfile } from '../../domain/city-profile';
import type { Category } from '../../domain/reports/categories';
import type { CityRouting } from '../../domain/reports/city-routing';
import type { Clock } from '../../domain/reports/ports';
import type { Logger } from '../../logger';

export interface ReportDeskDeps {
  readonly queries: StaffReportQueries;
  readonly actions: StaffReportActions;
  readonly notices: StaffNoticeQueries;
  readonly city: CityProfile;
  readonly routing: CityRouting;
  readonly categories: readonly Category[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Requests per minute and user on the report API and the CSV export (STAFF_API_RATE_PER_MINUTE). */
  readonly ratePerMinute: number;
  /** PHOTO_MAX_BYTES: the largest result photo accepted. */
  readonly photoMaxBytes: number;
  /** MAP_TILE_URL: tiles of the console's maps (its origin is added to the page's img-src). */
  readonly mapTileUrl: string;
  /** Days after `resolved` during which a resident may reopen (REOPEN_DAYS), for the action buttons. */
  readonly reopenDays: number;
}
