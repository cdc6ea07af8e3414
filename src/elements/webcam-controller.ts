// The camera of `<ml-classifier>` as a Lit reactive controller: asks for it, classifies its
// frames a few times a second, and releases it on stop, on removal, or when a newer request wins.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errors } from '../core/errors.js';
import type { PredictedDetail } from '../types.js';

/** Webcam frames classified per second at most: live enough to follow, light enough to keep the page responsive. */
export const WEBCAM_FPS = 4;

/** What the controller needs of the element. */
export interface WebcamCallbacks {
  /** Whether a model is ready to classify (else starting fails with `not-trained`). */
  canClassify(): boolean;
  /** Classifies one frame (and fires `predicted`, or `failed`). */
  classify(video: HTMLVideoElement): Promise<PredictedDetail>;
  /** Reports the camera's failure (`failed` with `during: 'webcam'`). */
  onError(error: unknown): void;
  /** The `<video>` the stream is shown in, once rendered. */
  video(): HTMLVideoElement | undefined;
}

/** Live classification from the camera. */
export class WebcamController implements ReactiveController {
  /** The camera's stream while it runs. */
  stream?: MediaStream;
  /** The last frame's prediction. */
  live?: PredictedDetail;
  /** The request waiting for permission, if any. */
  private request?: Promise<void>;
  /** Bumped by stop(): a request answered after it releases its stream at once. */
  private token = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly callbacks: WebcamCallbacks,
  ) {
    host.addController(this);
  }

  /**
   * Starts the camera (`getUserMedia`, preferring a rear camera) and classifies its frames, at most
   * {@link WEBCAM_FPS} a second. A second call while the first waits for permission returns the same promise.
   * @throws ClassifierError (also reported): `camera-unavailable`, or `not-trained` when no model is ready.
   */
  start(): Promise<void> {
    if (this.stream) return Promise.resolve();
    if (this.request) return this.request;
    const token = ++this.token;
    const request = this.open(token).finally(() => {
      if (this.token === token) this.request = undefined;
    });
    this.request = request;
    return request;
  }

  /** Stops classifying and releases the camera (also one still being asked for). */
  stop(): void {
    this.token++;
    this.request = undefined;
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = undefined;
    this.live = undefined;
    const video = this.callbacks.video();
    if (video) video.srcObject = null;
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    // A move within the page reconnects in the same task; only a real removal releases the camera.
    queueMicrotask(() => this.host.isConnected || this.stop());
  }

  private async open(token: number): Promise<void> {
    try {
      if (!this.callbacks.canClassify()) throw errors.notTrained();
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch (cause) {
        throw errors.cameraUnavailable(cause);
      }
      if (token !== this.token || !this.host.isConnected) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      this.stream = stream;
      this.host.requestUpdate();
      await this.host.updateComplete;
      const video = this.callbacks.video()!;
      video.srcObject = stream;
      await video.play();
      void this.classify(stream);
    } catch (error) {
      // A request that stop() (or a newer start()) replaced meanwhile leaves the newer one alone.
      if (token === this.token) {
        this.stop();
        this.callbacks.onError(error);
      }
      throw error;
    }
  }

  /** Classifies frames until the stream is stopped or replaced. */
  private async classify(stream: MediaStream) {
    const interval = 1000 / WEBCAM_FPS;
    for (let video = this.callbacks.video(); this.stream === stream && video; video = this.callbacks.video()) {
      const started = performance.now();
      try {
        this.live = await this.callbacks.classify(video);
        this.host.requestUpdate();
      } catch {
        // Reported through `failed`; a model being retrained says not-trained for a moment.
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, interval - (performance.now() - started))));
    }
    // The view went away with the model (a lost WebGL context drops it): release the camera too.
    if (this.stream === stream) this.stop();
  }
}
