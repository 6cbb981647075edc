import { Worker } from 'node:worker_threads';

export interface EmbeddedDynamo {
  endpoint: string;
  close(): Promise<void>;
}

type WorkerMessage = { type: 'listening'; port: number } | { type: 'error'; message: string; code?: string } | { type: 'closed' };

/**
 * Starts dynalite (a DynamoDB-compatible server) on a worker thread of this process. With a
 * path it persists to LevelDB under that directory; without one it keeps everything in memory
 * (tests). The bot talks to it over HTTP on loopback, exactly as it would to DynamoDB.
 */
export async function startEmbeddedDynamo(options: { path?: string; port?: number; host?: string } = {}): Promise<EmbeddedDynamo> {
  const host = options.host ?? '127.0.0.1';
  const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), {
    workerData: { path: options.path, port: options.port ?? 0, host },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onMessage = (message: WorkerMessage): void => {
      if (message.type === 'listening') resolve(message.port);
      if (message.type === 'error') {
        const locked = /LOCK|lock/.test(message.message);
        reject(
          new Error(
            locked
              ? `the embedded store under ${options.path} is in use by another aiops process (${message.message}); stop it or set AIOPS_DATA_DIR`
              : `the embedded store could not start: ${message.message}`,
          ),
        );
        void worker.terminate();
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  // the bot's process may exit while the store idles; the worker must not keep it alive
  worker.unref();
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        const done = (): void => {
          void worker.terminate().then(() => resolve());
        };
        worker.on('message', (message: WorkerMessage) => message.type === 'closed' && done());
        worker.once('exit', () => resolve());
        // keep the process alive until the store has shut down cleanly (LevelDB flushed)
        worker.ref();
        worker.postMessage({ type: 'close' });
      })),
  };
}
