import { parentPort } from 'node:worker_threads';
import { decodeFile } from './decode-file.ts';
import type { DecodeRequest, DecodeResponse, FileResult } from './decode-pool.ts';

parentPort?.on('message', async (message: DecodeRequest) => {
  if (message.type !== 'decode') return;
  const results: FileResult[] = [];
  for (const path of message.paths) results.push(await decodeFile(path));
  const transfer = results.flatMap((r) => (r.ok ? [r.original.buffer, r.pixels.buffer] : []));
  const response: DecodeResponse = { type: 'decoded', seq: message.seq, results };
  parentPort?.postMessage(response, transfer as ArrayBuffer[]);
});
