/**
 * The merged content (shipped files + the edits stored in the console), swapped at run time: every
 * reader asks `current()` at the moment it needs a fact, so an edit applies to the next turn.
 * `reload()` reads the overlay again (after an edit here); `refreshIfChanged()` does it only when
 * the overlay's version moved (edits made by another process; main.ts polls it).
 */
import { applyOverrides, type ContentChange, type ContentOverridesRepo, type ContentStore, type LiveContent } from '../domain/content/content';
import type { KnowledgeBase } from '../domain/faq/knowledge-base';
import type { Logger } from '../logger';

type Listener = (content: LiveContent, change: ContentChange) => void;

export class LiveContentStore implements ContentStore {
  private content: LiveContent;
  private keys: ReadonlySet<string> = new Set();
  private version: string | null = null;
  private readonly listeners = new Set<Listener>();
  /** Reloads run one after the other (an edit and the poll may ask at once). */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly d: { base: LiveContent; repo: ContentOverridesRepo; logger: Logger }) {
    this.content = d.base;
  }

  current(): LiveContent {
    return this.content;
  }

  /** The shipped content (what "back to the shipped text" restores). */
  shipped(): LiveContent {
    return this.d.base;
  }

  /** Keys of the items edited in the console (`faq:<slug>`, `city`, `canned:<category>`). */
  editedKeys(): ReadonlySet<string> {
    return this.keys;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the overlay and applies it. */
  reload(): Promise<void> {
    const run = this.chain.then(() => this.load());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Reloads when another process changed the overlay; true when it did. */
  async refreshIfChanged(): Promise<boolean> {
    if ((await this.d.repo.version()) === this.version) return false;
    await this.reload();
    return true;
  }

  private async load(): Promise<void> {
    const version = await this.d.repo.version();
    const overrides = await this.d.repo.all();
    const next = applyOverrides(this.d.base, overrides);
    if (next.skipped.length > 0) this.d.logger.warn({ keys: next.skipped }, 'stored content edits that no longer fit the shipped content were skipped; edit them again in the console');
    const examplesChanged = examplesOf(next.kb) !== examplesOf(this.content.kb);
    this.content = { city: next.city, kb: next.kb };
    this.keys = new Set(overrides.map((o) => o.key).filter((k) => !next.skipped.includes(k)));
    this.version = version;
    for (const listener of this.listeners) {
      try {
        listener(this.content, { examplesChanged });
      } catch (err) {
        this.d.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'a content listener failed');
      }
    }
  }
}

/** The example questions of every topic, as one comparable string. */
function examplesOf(kb: KnowledgeBase): string {
  return kb.topics.map((t) => `${t.slug}\u0000${JSON.stringify(t.examples)}`).join('\u0001');
}
