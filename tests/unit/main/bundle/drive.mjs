// Loads a built out/main/index.js with a fake electron, drives it like a renderer would, prints a JSON summary.
/* global process, console, setTimeout, Request */
import { mkdirSync } from 'node:fs';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./hooks.mjs', import.meta.url);
const fake = await import('electron');
await import(pathToFileURL(process.argv[2]).href);
while (fake.BrowserWindow.getAllWindows().length === 0) await new Promise((r) => setTimeout(r, 20));

const [window] = fake.BrowserWindow.getAllWindows();
const fromApp = { senderFrame: { url: window.url } };
const call = (channel, payload) => fake.ipcHandlers.get(channel)(fromApp, payload);
const appInfo = await call('app-info', {});
const sample = await call('catalogue-sample', { perClass: 2 });
const list = await call('catalogue-list', {});
const projects = await call('project-list', {});
const image = await fake.protocolHandlers.get('fer-image')(
  new Request(`fer-image://image/${projects.result.current.imageKey}/${list.result.ids[0]}.png`),
);
const imageBytes = new Uint8Array(await image.arrayBuffer());
const badImage = await fake.protocolHandlers.get('fer-image')(
  new Request('fer-image://evil/1.png'),
);
const page = await fake.protocolHandlers.get('fer-app')(new Request(window.url));
const untrusted = await fake.ipcHandlers.get('app-info')(
  { senderFrame: { url: 'https://example.com/' } },
  {},
);
// One short epoch in the bundled training worker (and its heap helper thread).
const started = await call('training-start', {
  config: { epochs: 1, batchSize: 4, validationFraction: 0 },
});
const trainingEnd = () =>
  window.sent.find(
    ([event, payload]) =>
      event === 'training-status' && ['finished', 'failed', 'stopped'].includes(payload.status),
  );
for (let waited = 0; started.ok && !trainingEnd() && waited < 60_000; waited += 50)
  await new Promise((r) => setTimeout(r, 50));
const training = started.ok
  ? { status: trainingEnd()?.[1].status ?? 'timed out', message: trainingEnd()?.[1].message }
  : { status: 'not started', message: started.error?.message };
// The trained run exported as .keras and imported back: the bundled import worker (h5wasm) and
// its wasm file must resolve from out/ as they do from app/.
let modelImport = { ok: false, message: 'no trained run' };
if (training.status === 'finished') {
  mkdirSync(`${process.env.FAKE_USER_DATA}/export`, { recursive: true });
  const file = `${process.env.FAKE_USER_DATA}/export/bundle-run.keras`;
  const exported = await call('export-model', {
    runId: started.result.runId,
    format: 'keras',
    out: file,
  });
  const imported = exported.ok
    ? await call('model-import', { path: file, name: 'bundle round trip' })
    : exported;
  modelImport = imported.ok
    ? { ok: true, format: imported.result.format, params: imported.result.params }
    : { ok: false, message: imported.error?.message };
}
const closed = new Promise((resolve) => fake.app.on('fake-quit', resolve));
let quitHeld = false;
fake.app.emit('before-quit', { preventDefault: () => (quitHeld = true) });
await closed;

console.log(
  JSON.stringify({
    schemes: fake.schemes.map((s) => s.scheme),
    channels: [...fake.ipcHandlers.keys()],
    protocols: [...fake.protocolHandlers.keys()],
    url: window.url,
    webPreferences: window.options.webPreferences,
    appInfo,
    sampleOk: sample.ok,
    imported: sample.result?.imported,
    image: {
      status: image.status,
      type: image.headers.get('content-type'),
      signature: [...imageBytes.slice(1, 4)],
    },
    badImageStatus: badImage.status,
    page: {
      status: page.status,
      csp: page.headers.get('content-security-policy'),
      html: /<html/i.test(await page.text()),
    },
    untrusted,
    eventsSent: [...new Set(window.sent.map(([event]) => event))],
    quitHeld,
    training,
    modelImport,
  }),
);
process.exit(0);
