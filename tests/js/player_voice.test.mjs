// How the browser player picks a voice when the server has no espeak-ng (static/js/player/media.js):
// a local (offline) voice only, English in the page's language first. No DOM, no speech engine:
// the voices are plain objects shaped like SpeechSynthesisVoice.
// tests/e2e/test_browser_speech.py checks the same choice in Chromium.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { chooseVoice } from "../../src/deskstretch/web/static/js/player/media.js";

function voice(name, lang, localService, isDefault = false) {
  return { name, lang, localService, default: isDefault, voiceURI: name };
}

describe("chooseVoice", () => {
  it("never picks a network voice, even listed first and in the page's language", () => {
    const online = voice("Online English", "en-US", false, true);
    const offline = voice("Offline English", "en-US", true);
    assert.equal(chooseVoice([online, offline], "en"), offline);
  });

  it("answers null when every voice needs the network", () => {
    const voices = [voice("Online US", "en-US", false), voice("Online UK", "en-GB", false)];
    assert.equal(chooseVoice(voices, "en"), null);
  });

  it("answers null for no voices at all (they may not have loaded yet)", () => {
    assert.equal(chooseVoice([], "en"), null);
    assert.equal(chooseVoice(undefined, "en"), null);
  });

  it("treats only localService === true as offline", () => {
    const unknown = { name: "Unknown", lang: "en-US" };
    const truthy = { name: "Truthy", lang: "en-US", localService: "yes" };
    assert.equal(chooseVoice([unknown, truthy], "en"), null);
  });

  it("prefers an English voice over another local one listed first", () => {
    const german = voice("Anna", "de-DE", true, true);
    const english = voice("Daniel", "en-GB", true);
    assert.equal(chooseVoice([german, english], "en"), english);
  });

  it("prefers the page's own English over other English voices", () => {
    const us = voice("Samantha", "en-US", true, true);
    const uk = voice("Daniel", "en-GB", true);
    assert.equal(chooseVoice([us, uk], "en-GB"), uk);
    assert.equal(chooseVoice([uk, us], "en-US"), us);
  });

  it("reads underscores and any case in language tags", () => {
    const odd = voice("Android voice", "EN_us", true);
    const french = voice("Amélie", "fr-FR", true);
    assert.equal(chooseVoice([french, odd], "en-US"), odd);
  });

  it("lets the default voice win between equals, else keeps the first listed", () => {
    const first = voice("First", "en-US", true);
    const chosen = voice("System default", "en-AU", true, true);
    assert.equal(chooseVoice([first, chosen], "en"), chosen);
    const second = voice("Second", "en-AU", true);
    assert.equal(chooseVoice([first, second], "en"), first);
  });

  it("falls back to any local voice when there is no English one", () => {
    const online = voice("Online English", "en-US", false);
    const german = voice("Anna", "de-DE", true);
    assert.equal(chooseVoice([online, german], "en"), german);
  });

  it("reads a missing page language as English", () => {
    const german = voice("Anna", "de-DE", true);
    const english = voice("Daniel", "en-GB", true);
    assert.equal(chooseVoice([german, english], ""), english);
  });
});
