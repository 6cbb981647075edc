import { randomUUID } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../engine.js';
import type { Button, Reply } from '../reply.js';
import type { MessageRef, Responder, Turn } from '../turn.js';
import { ansiStyle, plainStyle, renderText } from './render.js';

export interface ConsoleOptions {
  engine: Engine;
  input: Readable;
  output: Writable;
  /** the first identity; `/as <name>` switches */
  user: string;
  color?: boolean;
}

const HELP = [
  'Type what you want, e.g. "deploy payments v1.2 to prod" or "help".',
  'Buttons appear as [n]: type the number to click it.',
  '/as <name>   speak as someone else (to show four-eyes approval)',
  '/new         start a new thread',
  '/quit        leave',
].join('\n');

/**
 * The terminal chat: the same engine as Slack and Teams, with buttons as numbered choices
 * and `/as` to switch identity.
 */
export class ConsoleChat {
  private user: string;
  private thread = randomUUID().slice(0, 8);
  private readonly buttons = new Map<number, Button>();
  private nextButton = 1;
  private nextMessage = 1;
  private readonly rl: Interface;
  private readonly style;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** a button whose confirmation dialog is open: the next line answers it */
  private confirming: Button | undefined;

  constructor(private readonly options: ConsoleOptions) {
    this.user = options.user;
    this.style = options.color ? ansiStyle : plainStyle;
    this.rl = createInterface({ input: options.input, output: options.output, terminal: options.color ?? false });
  }

  /** Runs until the input ends or the user quits. */
  run(): Promise<void> {
    this.write(`aiops console. You are ${this.user}. ${HELP.split('\n')[0]} (/help for more)`);
    this.prompt();
    return new Promise((resolve) => {
      this.rl.on('line', (line) => {
        this.queue = this.queue.then(() => this.onLine(line.trim())).then(() => this.prompt());
      });
      this.rl.on('close', () => {
        this.closed = true;
        void this.queue.then(resolve);
      });
    });
  }

  close(): void {
    this.rl.close();
  }

  private prompt(): void {
    if (this.closed) return;
    this.rl.setPrompt(`${this.user}> `);
    this.rl.prompt();
  }

  private write(text: string): void {
    this.options.output.write(`${text}\n`);
  }

  private async onLine(line: string): Promise<void> {
    if (!line) return;
    const confirming = this.confirming;
    if (confirming && !line.startsWith('/')) {
      this.confirming = undefined;
      if (!/^y(es)?$/i.test(line)) return this.write('(not confirmed)');
      return this.send({ decision: { target: confirming.target, choice: confirming.choice } });
    }
    this.confirming = undefined;
    if (line === '/quit' || line === '/exit') {
      this.rl.close();
      return;
    }
    if (line === '/help') return this.write(HELP);
    if (line === '/new') {
      this.thread = randomUUID().slice(0, 8);
      return this.write(`(new thread ${this.thread})`);
    }
    const as = /^\/as\s+(\S+)$/.exec(line);
    if (as) {
      this.user = as[1]!;
      return this.write(`(you are now ${this.user})`);
    }
    const number = /^\[?(\d+)\]?$/.exec(line);
    const button = number ? this.buttons.get(Number(number[1])) : undefined;
    if (button) {
      if (button.confirm) {
        this.confirming = button;
        return this.write(`${button.confirm.title} ${button.confirm.text} (y/n)`);
      }
      return this.send({ decision: { target: button.target, choice: button.choice } });
    }
    return this.send({ text: line });
  }

  private async send(content: Pick<Turn, 'text' | 'decision'>): Promise<void> {
    const turn: Turn = {
      platform: 'console',
      eventId: randomUUID(),
      user: { id: this.user, name: this.user },
      conversation: { channel: 'console', thread: this.thread },
      addressed: true,
      ...content,
    };
    await this.options.engine.handle(turn, this.responder());
  }

  private responder(): Responder {
    return {
      post: async (reply: Reply): Promise<MessageRef> => {
        const id = String(this.nextMessage++);
        this.write(`aiops #${id}: ${this.render(reply)}`);
        return { platform: 'console', channel: 'console', id, thread: this.thread };
      },
      update: async (ref: MessageRef, reply: Reply): Promise<void> => {
        this.write(`aiops #${ref.id} (updated): ${this.render(reply)}`);
      },
    };
  }

  private render(reply: Reply): string {
    const numbers = (reply.buttons ?? []).map((button) => {
      const number = this.nextButton++;
      this.buttons.set(number, button);
      return number;
    });
    return renderText(reply, this.style, numbers);
  }
}
