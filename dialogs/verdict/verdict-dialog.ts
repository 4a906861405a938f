/**
 * The resident's answer to a resolution. The resolved notice asks "is it really fixed?" with
 * `RESOLVED_CONFIRM:<code>` and `RESOLVED_REJECT:<code>` (Zalo: `#RESOLVED_CONFIRM:<code>`, …);
 * typed answers ("rồi, sửa xong rồi", "chưa", "vẫn còn") reach the same payloads through the choice
 * point the notice leaves in the conversation (dialogs/answers.ts aliases).
 *
 * - Confirm → a 1–5 rating (`RATING:<code>:<n>`, five choices: Zalo's five list buttons). The report
 *   is `closed` as soon as the rating arrives; the resident's next free text within
 *   {@link COMMENT_MINUTES} minutes is attached to it as a comment, with thanks.
 * - Reject → the report goes back to `in_progress`, flagged reopened (the agency's list shows those
 *   first), within REOPEN_DAYS; after that, a polite "send a new report" with that choice.
 *
 * The payloads carry the code, so a button tapped days later (or on an old message) still acts on
 * the right report; every answer is checked against the report's owner and state by the use case.
 */
import { FINAL_STATUSES, type ReportStatus } from '../../src/domain/reports/lifecycle';
import { STATUS_LABEL_KEYS } from '../../src/app/notify-resident';
import type { Report } from '../../src/domain/reports/report';
import { DomainError } from '../../src/domain/shared/errors';
import type { Locale } from '../../src/domain/shared/ids';
import type { I18n, Translate } from '../../src/i18n';
import { readCommand, yesNo } from '../answers';
import { offer } from '../choices';
import type { ConversationState, Menu } from '../state';
import type { Choice, Outbound, Turn } from '../types';

export { verdictQuestion } from '../../src/app/notify-resident';

/** How long after a rating the resident's next free text counts as a comment on it. */
export const COMMENT_MINUTES = 60;

const CODE = 'PA-[2-9A-HJ-NP-Z]{6,10}';
const VERDICT_RE = new RegExp(`^(RESOLVED_CONFIRM|RESOLVED_REJECT):(${CODE})$`);
const RATING_RE = new RegExp(`^RATING:(${CODE}):([1-5])$`);

/** Payloads this dialog owns. */
export const VERDICT_PAYLOADS = new RegExp(`^(RESOLVED_CONFIRM|RESOLVED_REJECT|RATING):${CODE}(:[1-5])?$`);

const STAR_KEYS = ['resident:verdict.stars.1', 'resident:verdict.stars.2', 'resident:verdict.stars.3', 'resident:verdict.stars.4', 'resident:verdict.stars.5'] as const;

/** What the dialog needs of the use cases (ResidentVerdict, ReportQueries). */
export interface VerdictDialogDeps {
  readonly verdict: {
    rate(code: string, residentId: string, rating: number): Promise<unknown>;
    comment(code: string, residentId: string, text: string): Promise<void>;
    reopen(code: string, residentId: string): Promise<{ report: Pick<Report, 'agency'> }>;
  };
  readonly reports: { findByCode(code: string): Promise<Report | null> };
  readonly i18n: I18n;
  readonly agencyName: (id: string | null, locale: Locale) => string | null;
  readonly reopenDays: number;
  readonly clock: { now(): Date };
}

/**
 * The conversation's choice point for a verdict question sent outside a turn (a notice), so that a
 * typed "rồi" or "vẫn còn" answers it. Null when `message` is no verdict question.
 */
export function verdictMenu(message: Outbound, t: Translate): Menu | null {
  const confirm = message.choices?.find((c) => c.payload.startsWith('RESOLVED_CONFIRM:'));
  const reject = message.choices?.find((c) => c.payload.startsWith('RESOLVED_REJECT:'));
  if (!confirm || !reject) return null;
  return { text: message.text, choices: [...message.choices!], page: 0, yes: confirm.payload, no: reject.payload, moreTitle: null, moreText: null, hint: t('resident:verdict.hint') };
}

export class VerdictDialog {
  constructor(private readonly d: VerdictDialogDeps) {}

  /** `RESOLVED_CONFIRM:<code>`, `RESOLVED_REJECT:<code>`, `RATING:<code>:<n>`; false for other payloads. */
  async handlePayload(turn: Turn, payload: string): Promise<boolean> {
    const verdict = VERDICT_RE.exec(payload);
    if (verdict) {
      const code = verdict[2]!;
      if (verdict[1] === 'RESOLVED_CONFIRM') await this.confirm(turn, code);
      else await this.reject(turn, code);
      return true;
    }
    const rating = RATING_RE.exec(payload);
    if (rating) {
      await this.rate(turn, rating[1]!, Number(rating[2]));
      return true;
    }
    return false;
  }

  /**
   * The free text that follows a rating (within {@link COMMENT_MINUTES}) is a comment on it: saved
   * with thanks. A command ("menu") or a bare "không" ends the wait instead. False when no comment
   * is awaited (the text goes on to the rest of the conversation). The root dialog ends the wait at
   * the next turn whatever it is, so only the very next message can be a comment.
   */
  async captureComment(turn: Turn, text: string, waiting: NonNullable<ConversationState['awaitingComment']>): Promise<boolean> {
    if (new Date(waiting.until).getTime() < this.d.clock.now().getTime()) return false;
    if (readCommand(text)) return false;
    const t = this.t(turn.locale);
    if (yesNo(text) === 'no') {
      await turn.send([{ text: t('resident:verdict.noComment') }]);
      return true;
    }
    try {
      await this.d.verdict.comment(waiting.code, turn.resident.id, text);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return false;
    }
    await turn.send([{ text: t('resident:verdict.commentSaved', { code: waiting.code }) }]);
    return true;
  }

  private async confirm(turn: Turn, code: string): Promise<void> {
    const t = this.t(turn.locale);
    const report = await this.mine(turn, code);
    if (!report) return;
    if (report.status !== 'resolved') return this.notAsked(turn, report);
    const choices: Choice[] = STAR_KEYS.map((key, i) => ({ title: t(key), payload: `RATING:${code}:${i + 1}` }));
    await offer(turn, t, t('resident:verdict.rateAsk', { code }), choices, { hint: t('resident:verdict.rateHint') });
  }

  private async rate(turn: Turn, code: string, rating: number): Promise<void> {
    const t = this.t(turn.locale);
    const report = await this.mine(turn, code);
    if (!report) return;
    if (report.status !== 'resolved') return this.notAsked(turn, report);
    try {
      await this.d.verdict.rate(code, turn.resident.id, rating);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // Someone (or a second tap) changed it first: say where it stands now.
      const now = await this.d.reports.findByCode(code);
      return this.notAsked(turn, now ?? report);
    }
    const until = new Date(this.d.clock.now().getTime() + COMMENT_MINUTES * 60_000).toISOString();
    turn.setState({ menu: null, misses: 0, awaitingComment: { code, until } });
    await turn.send([{ text: t('resident:verdict.rated', { code, rating }) }]);
  }

  private async reject(turn: Turn, code: string): Promise<void> {
    const t = this.t(turn.locale);
    const report = await this.mine(turn, code);
    if (!report) return;
    if (report.status !== 'resolved') return this.notAsked(turn, report);
    try {
      const out = await this.d.verdict.reopen(code, turn.resident.id);
      turn.setState({ menu: null, misses: 0 });
      const agency = this.d.agencyName(out.report.agency, turn.locale) ?? t('resident:verdict.agencyUnknown');
      await turn.send([{ text: t('resident:verdict.reopened', { code, agency }) }]);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.code === 'lifecycle.reopen-window-passed') {
        await offer(turn, t, t('resident:verdict.windowPassed', { code, days: this.d.reopenDays }), [
          { title: t('resident:verdict.newReport'), payload: 'REPORT_START' },
          { title: t('resident:verdict.menu'), payload: 'MENU' },
        ], { yes: 'REPORT_START', no: 'MENU' });
        return;
      }
      const now = await this.d.reports.findByCode(code);
      return this.notAsked(turn, now ?? report);
    }
  }

  /** The resident's own report with that code, or a polite "not found" (and null). */
  private async mine(turn: Turn, code: string): Promise<Report | null> {
    const report = await this.d.reports.findByCode(code);
    if (report && report.residentId === turn.resident.id) return report;
    turn.setState({ menu: null });
    await turn.send([{ text: this.t(turn.locale)('resident:verdict.notFound', { code }) }]);
    return null;
  }

  /** The question no longer applies (already rated, reopened, closed by the system): where it stands. */
  private async notAsked(turn: Turn, report: Pick<Report, 'code' | 'status' | 'rating'>): Promise<void> {
    const t = this.t(turn.locale);
    turn.setState({ menu: null });
    const status: ReportStatus = report.status;
    const label = t(STATUS_LABEL_KEYS[status]);
    const text = status === 'closed' && report.rating !== null
      ? t('resident:verdict.alreadyRated', { code: report.code })
      : FINAL_STATUSES.includes(status)
        ? t('resident:verdict.finalStatus', { code: report.code, status: label })
        : t('resident:verdict.notResolved', { code: report.code, status: label });
    await turn.send([{ text }]);
  }

  private t(locale: Locale): Translate {
    return this.d.i18n.forLocale(locale);
  }
}
