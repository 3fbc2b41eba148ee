/* Camera coaching in the player (opt-in): the webcam at 640x480, a small preview, JPEG frames to
 * this app's /ws/camera (never more than one in flight, at most ~30 a second), and the server's
 * answers handed to page.js. Nothing is stored: frames are analysed in memory on this computer.
 * stop() releases the camera at once: every track stopped, the socket closed.
 */

import { CueThrottle, PositionGate, WORK } from "./core.js";

export const WIDTH = 640;
export const HEIGHT = 480;
const MIN_FRAME_MS = 1000 / 30;
const JPEG_QUALITY = 0.7;

/** Why the camera could not start, in plain words, from a getUserMedia error. */
export function cameraProblem(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "The browser was not allowed to use the camera. Allow it for this page (the camera" +
      " icon in the address bar), then try again.";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return "No camera was found. Connect one, then try again.";
  }
  if (name === "NotReadableError") {
    return "The camera is busy in another program. Close it there, then try again.";
  }
  return `The camera could not start (${(error && error.message) || "no camera access here"}).`;
}

/** The live camera: start(), aim(target), save(), stop(). Callbacks report what happens. */
export class CameraCoach {
  #stream = null;
  #socket = null;
  #canvas = null;
  #timer = 0;
  #inFlight = false;
  #lastSent = 0;
  #ready = false;
  #aimKey = "";
  #pendingAim = null;

  /**
   * ``video``: the preview element. ``on``: { reading(frame), aimed(aim), saved(result),
   * problem(text), stopped(reason) }.
   */
  constructor(video, on) {
    this.video = video;
    this.on = on;
    this.active = false;
    this.aimed = null; // the server's answer to the last aim: { gated, note, savable, ... }
    this.lastTracks = []; // the tracks stop() released (the browser test checks they ended)
  }

  async start() {
    if (this.active) return;
    this.active = true;
    try {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        throw new Error("this browser gives pages no camera access");
      }
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: WIDTH }, height: { ideal: HEIGHT } },
        audio: false,
      });
      if (!this.active) { // turned off while the browser was asking
        stopTracks(stream);
        return;
      }
      this.#stream = stream;
      this.video.srcObject = stream;
      const playing = this.video.play();
      if (playing && playing.catch) playing.catch(() => {});
    } catch (error) {
      this.stop("problem");
      this.on.problem(cameraProblem(error));
      return;
    }
    this.#open();
  }

  /** The tracks of the camera stream (for the page's tests). */
  get tracks() {
    return this.#stream ? this.#stream.getTracks() : [];
  }

  /** Check frames against ``target`` ({exercise_id, side, kind}) from now on. */
  aim(target) {
    const key = target ? `${target.exercise_id}|${target.side}|${target.kind}` : "";
    if (!target || key === this.#aimKey) return;
    this.#aimKey = key;
    this.aimed = null;
    this.#pendingAim = { type: "aim", ...target };
    this.#sendAim();
  }

  /** The key of the target aimed at last ("exercise|side|kind"). */
  get aimKey() {
    return this.#aimKey;
  }

  save() {
    if (this.#ready) this.#socket.send(JSON.stringify({ type: "save" }));
  }

  /** Release the camera now: tracks stopped, socket closed, nothing more sent. */
  stop(reason = "off") {
    const was = this.active;
    this.active = false;
    if (this.#stream) this.lastTracks = this.#stream.getTracks();
    this.#ready = false;
    clearTimeout(this.#timer);
    if (this.#stream) stopTracks(this.#stream);
    this.#stream = null;
    if (this.video) this.video.srcObject = null;
    if (this.#socket) {
      try {
        this.#socket.close(1000);
      } catch { /* already closed */ }
    }
    this.#socket = null;
    this.#inFlight = false;
    this.#aimKey = "";
    this.aimed = null;
    if (was) this.on.stopped(reason);
  }

  #open() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${window.location.host}/ws/camera`);
    this.#socket = socket;
    socket.addEventListener("message", (event) => {
      if (socket !== this.#socket) return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      this.#receive(message);
    });
    socket.addEventListener("close", () => {
      if (socket !== this.#socket || !this.active) return;
      this.stop("problem");
      this.on.problem("The connection to deskstretch closed, so camera coaching stopped.");
    });
  }

  #receive(message) {
    if (message.type === "ready") {
      this.#ready = true;
      this.#sendAim();
      this.#next();
    } else if (message.type === "frame") {
      this.#inFlight = false;
      if (!message.error) this.on.reading(message);
      this.#next();
    } else if (message.type === "aim") {
      this.aimed = message;
      this.on.aimed(message);
    } else if (message.type === "saved") {
      this.on.saved(message);
    } else if (message.type === "unavailable") {
      this.stop("problem");
      this.on.problem(message.message);
    } else if (message.type === "error") {
      if (this.#ready) this.on.saved({ error: message.message });
      else {
        this.stop("problem");
        this.on.problem(message.message);
      }
    }
  }

  #sendAim() {
    if (!this.#ready || !this.#pendingAim) return;
    this.#socket.send(JSON.stringify(this.#pendingAim));
    this.#pendingAim = null;
  }

  /* The next frame once the last one is answered, no sooner than 1/30 s after the last. */
  #next() {
    clearTimeout(this.#timer);
    if (!this.active || !this.#ready || this.#inFlight) return;
    const wait = Math.max(0, this.#lastSent + MIN_FRAME_MS - performance.now());
    this.#timer = setTimeout(() => this.#capture(), wait);
  }

  #capture() {
    const video = this.video;
    if (!this.active || !this.#ready || this.#inFlight) return;
    if (!video || video.readyState < 2 || !video.videoWidth) {
      this.#timer = setTimeout(() => this.#capture(), 50);
      return;
    }
    if (!this.#canvas) {
      this.#canvas = document.createElement("canvas");
      this.#canvas.width = WIDTH;
      this.#canvas.height = HEIGHT;
    }
    const context = this.#canvas.getContext("2d");
    context.drawImage(video, 0, 0, WIDTH, HEIGHT);
    this.#inFlight = true;
    this.#lastSent = performance.now();
    this.#canvas.toBlob((blob) => {
      if (!blob || !this.active || !this.#ready) {
        this.#inFlight = false;
        return;
      }
      this.#socket.send(blob);
    }, "image/jpeg", JPEG_QUALITY);
  }
}

function stopTracks(stream) {
  for (const track of stream.getTracks()) track.stop();
}

/** What the camera checks during ``segment``: its own exercise and side when it is work, else the
 * next work segment's (so the cues help while getting ready); null after the last. */
export function targetFor(segment, segments) {
  if (!segment) return null;
  let work = segment;
  for (let i = segment.index; !WORK[work.kind]; i += 1) {
    work = segments[i + 1];
    if (!work) return null;
  }
  return { exercise_id: work.exercise_id, side: work.side, kind: work.kind };
}

function keyOf(target) {
  return target ? `${target.exercise_id}|${target.side}|${target.kind}` : "";
}

/** Angles as shown: rounded to 5 degrees, each with its ±6 degrees (domain.md §5.3). */
export function describeAngles(angles) {
  const five = (x) => Math.round(x / 5) * 5;
  return `Forward bend ${five(angles.forward_bend_deg)}°, knee bent ${five(angles.knee_deficit_deg)}°,` +
    ` trunk lean ${five(angles.trunk_inclination_deg)}° (${angles.side} side, each ±6°)`;
}

const STOPPED = {
  off: "Camera off.",
  ended: "Camera off: the routine has ended.",
  hidden: "Camera off while this tab was hidden. Turn it on again when you are back.",
  problem: "",
};

/**
 * The "Camera coaching" button and panel of player.html. ``hooks``: segment() (playing now, or
 * null), segments(), hold(on) (stop or restart the hold clock), speak(text).
 */
export class CameraPanel {
  constructor(root, hooks) {
    const $ = (id) => root.querySelector(`#${id}`);
    this.root = root;
    this.hooks = hooks;
    this.button = $("btn-camera");
    this.note = $("camera-note");
    this.panel = $("camera-panel");
    this.cue = $("camera-cue");
    this.angles = $("camera-angles");
    this.state = $("camera-state");
    this.saveButton = $("btn-camera-save");
    this.savedLine = $("camera-saved");
    this.gate = new PositionGate();
    this.throttle = new CueThrottle({ steady: 1, gap: 4, repeat: 10 });
    this.coach = new CameraCoach($("camera-preview"), {
      reading: (frame) => this.#reading(frame),
      aimed: () => this.#refresh(),
      saved: (result) => this.#saved(result),
      problem: (text) => this.#say(this.note, text),
      stopped: (reason) => this.#stopped(reason),
    });
    this.button.addEventListener("click", () => this.toggle());
    this.saveButton.addEventListener("click", () => {
      this.saveButton.disabled = true;
      this.#say(this.savedLine, "Saving…");
      this.coach.save();
    });
  }

  get on() {
    return this.coach.active;
  }

  toggle() {
    if (this.coach.active) {
      this.stop("off");
      return;
    }
    const missing = this.root.getAttribute("data-camera-unavailable");
    if (missing) {
      this.#say(this.note, missing);
      return;
    }
    this.button.setAttribute("aria-pressed", "true");
    this.panel.hidden = false;
    this.#say(this.note, "Camera on: frames are checked on this computer and never stored.");
    this.coach.start();
    this.enter(this.hooks.segment());
  }

  /** A new segment started (page.js calls this from its segment_started handler). */
  enter(segment) {
    if (!this.coach.active) return;
    this.throttle.quiet(performance.now() / 1000);
    const target = targetFor(segment, this.hooks.segments());
    if (keyOf(target) !== this.coach.aimKey) this.gate.reset();
    this.coach.aim(target);
    this.savedLine.textContent = "";
    this.#refresh();
  }

  stop(reason) {
    this.coach.stop(reason);
  }

  /** Whether the hold clock should wait now: a judged hold, and the position not (yet) right. */
  #apply() {
    const segment = this.hooks.segment();
    const aimed = this.coach.aimed;
    if (this.coach.active && !aimed && segment && segment.kind === "hold") return; // aim pending
    const judged = this.coach.active && aimed && aimed.gated && segment &&
      segment.kind === "hold" && this.coach.aimKey === keyOf(targetFor(segment, this.hooks.segments()));
    this.hooks.hold(Boolean(judged) && !this.gate.inPosition);
  }

  #reading(frame) {
    const now = performance.now() / 1000;
    this.gate.update(frame.in_position, now);
    this.#say(this.cue, frame.cue || (frame.gated && this.gate.inPosition ? "Good: hold it there." : ""));
    this.#say(this.angles, frame.angles ? describeAngles(frame.angles) : "No one in view yet.");
    const spoken = this.throttle.next(frame.cue, now);
    if (spoken) this.hooks.speak(spoken);
    this.#refresh();
  }

  #refresh() {
    const aimed = this.coach.aimed;
    const segment = this.hooks.segment();
    const hold = segment && segment.kind === "hold";
    let text = "";
    if (aimed && !aimed.gated) text = aimed.note;
    else if (aimed && hold) {
      text = this.gate.inPosition ? "In position: the hold is counting."
        : "The hold waits until you are in position.";
    }
    this.#say(this.state, text);
    this.saveButton.hidden = !(aimed && aimed.savable && hold);
    this.root.classList.toggle("is-in-position", Boolean(aimed && aimed.gated && this.gate.inPosition));
    this.#apply();
  }

  #saved(result) {
    this.saveButton.disabled = false;
    if (result.error) this.#say(this.savedLine, result.error);
    else this.#say(this.savedLine, ["Saved as a measurement.", ...result.sentences].join(" "));
  }

  #stopped(reason) {
    this.button.setAttribute("aria-pressed", "false");
    this.panel.hidden = true;
    this.gate.reset();
    this.root.classList.remove("is-in-position");
    this.hooks.hold(false);
    if (STOPPED[reason]) this.#say(this.note, STOPPED[reason]);
  }

  #say(element, text) {
    if (element && element.textContent !== text) element.textContent = text;
  }
}
