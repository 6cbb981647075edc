// Runs the embedded DynamoDB-compatible server (dynalite) on its own thread, so the store's
// work uses a second core instead of competing with the bot's event loop.
import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const { path, port, host } = workerData;
if (path) mkdirSync(path, { recursive: true });
const server = dynalite({ ...(path ? { path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });

server.once('error', (error) => parentPort.postMessage({ type: 'error', message: error.message, code: error.code }));
server.listen(port, host, () => parentPort.postMessage({ type: 'listening', port: server.address().port }));

parentPort.on('message', (message) => {
  if (message?.type !== 'close') return;
  server.closeAllConnections?.();
  server.close(() => parentPort.postMessage({ type: 'closed' }));
});
