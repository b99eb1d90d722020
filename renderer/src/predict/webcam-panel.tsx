import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../client/index.ts';
import { useClient, useStudio } from '../store/store.ts';
import { toBase64, type Prediction } from '../store/predict-slice.ts';
import { cameraErrorMessage, createFpsMeter } from './camera-errors.ts';
import { FaceBoxes } from './face-boxes.tsx';

const WIDTH = 640;
const HEIGHT = 480;
/**
 * Frames in flight: with two, the core's predict worker starts the next frame as soon as it
 * finishes one, instead of idling while the page draws, encodes and sends it.
 */
const IN_FLIGHT = 2;

async function frameJpeg(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const blob = await new Promise<Blob | null>((resolve) =>
    canvas.toBlob(resolve, 'image/jpeg', 0.85),
  );
  if (!blob) throw new Error('could not encode the frame');
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * Live webcam: each frame is drawn to a 640×480 canvas, JPEG-encoded and predicted by the core's
 * predict worker (on this machine: Electron IPC or the local WebSocket), at most IN_FLIGHT frames at
 * a time, so boxes lag the video by about one round trip and stale frames never pile up.
 */
export function WebcamPanel() {
  const client = useClient();
  const runId = useStudio((s) => s.predictRunId);
  const addPhoto = useStudio((s) => s.addPhoto);
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState('');
  const [paused, setPaused] = useState(false);
  const [result, setResult] = useState<Prediction | null>(null);
  const [fps, setFps] = useState(0);
  const [message, setMessage] = useState<string | null>(null);

  const stop = useCallback(() => {
    setStream((current) => {
      current?.getTracks().forEach((t) => t.stop());
      return null;
    });
    setResult(null);
    setFps(0);
  }, []);

  const start = useCallback(
    async (id: string) => {
      stop();
      setMessage(null);
      if (!navigator.mediaDevices?.getUserMedia) {
        setMessage(
          'This browser gives no camera access here (it needs a secure origin such as localhost).',
        );
        return;
      }
      try {
        const media = await navigator.mediaDevices.getUserMedia({
          video: { width: WIDTH, height: HEIGHT, ...(id ? { deviceId: { exact: id } } : {}) },
          audio: false,
        });
        for (const track of media.getVideoTracks())
          track.addEventListener('ended', () => {
            setMessage('The camera was disconnected. Plug it back in and press Start camera.');
            stop();
          });
        setStream(media);
        const all = await navigator.mediaDevices.enumerateDevices();
        setDevices(all.filter((d) => d.kind === 'videoinput'));
      } catch (error) {
        setMessage(cameraErrorMessage(error));
      }
    },
    [stop],
  );

  useEffect(() => stop, [stop]);

  useEffect(() => {
    const element = video.current;
    if (!element || !stream) return;
    element.srcObject = stream;
    void element.play().catch(() => {});
  }, [stream]);

  // The predict loops: paused by `paused`, ended by a new stream or unmount.
  useEffect(() => {
    if (!stream || paused) return;
    let live = true;
    const meter = createFpsMeter();
    canvas.current ??= document.createElement('canvas');
    const snap = canvas.current;
    const loop = async () => {
      // Each loop has its own canvas: two loops keep a frame in flight while the next is encoded.
      const frame = document.createElement('canvas');
      while (live) {
        const element = video.current;
        if (!element || element.readyState < 2) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        frame.width = element.videoWidth || WIDTH;
        frame.height = element.videoHeight || HEIGHT;
        frame.getContext('2d')?.drawImage(element, 0, 0, frame.width, frame.height);
        snap.width = frame.width;
        snap.height = frame.height;
        snap.getContext('2d')?.drawImage(frame, 0, 0);
        try {
          const data = toBase64(await frameJpeg(frame));
          const next = await client.invoke('predict-image', {
            file: 'webcam',
            data,
            source: 'webcam',
            ...(runId === null ? {} : { runId }),
          });
          if (!live) return;
          setResult(next);
          setFps(meter.tick(performance.now()));
        } catch (error) {
          if (!live) return;
          setMessage(errorMessage(error));
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    };
    for (let i = 0; i < IN_FLIGHT; i++) void loop();
    return () => {
      live = false;
    };
  }, [client, stream, paused, runId]);

  const snapshot = async () => {
    const frame = canvas.current;
    if (!frame) return;
    const bytes = await frameJpeg(frame);
    await addPhoto(
      `webcam-${new Date().toISOString().slice(11, 19).replaceAll(':', '')}.jpg`,
      'image/jpeg',
      toBase64(bytes),
    );
  };

  return (
    <section className="card webcam" data-testid="webcam-panel">
      <div className="toolbar">
        {!stream ? (
          <button
            className="primary"
            data-testid="webcam-start"
            onClick={() => void start(deviceId)}
          >
            Start camera
          </button>
        ) : (
          <>
            <button data-testid="webcam-pause" onClick={() => setPaused((p) => !p)}>
              {paused ? 'Resume' : 'Pause'}
            </button>
            <button data-testid="webcam-snapshot" onClick={() => void snapshot()}>
              Snapshot to photos
            </button>
            <button data-testid="webcam-stop" onClick={stop}>
              Stop
            </button>
          </>
        )}
        {devices.length > 0 && (
          <label className="inline-field">
            <span>Camera</span>
            <select
              value={deviceId}
              data-testid="webcam-device"
              onChange={(e) => {
                setDeviceId(e.target.value);
                void start(e.target.value);
              }}
            >
              {devices.map((d, i) => (
                <option key={d.deviceId || i} value={d.deviceId}>
                  {d.label || `Camera ${i + 1}`}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="spacer" />
        {stream && (
          <span className="muted" data-testid="webcam-fps" data-fps={fps.toFixed(1)}>
            {paused ? 'paused' : `${fps.toFixed(1)} frames/s`}
          </span>
        )}
      </div>
      {message && (
        <p className="invalid" role="alert" data-testid="webcam-message">
          {message}
        </p>
      )}
      <div className="photo-frame webcam-frame" hidden={!stream}>
        <video ref={video} muted playsInline data-testid="webcam-video" />
        {result && <FaceBoxes result={result} testId="webcam-boxes" />}
      </div>
      <p className="muted small">
        Frames are analysed by the studio on this computer and never leave it.
      </p>
    </section>
  );
}
