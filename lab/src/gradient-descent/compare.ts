/**
 * The races, drawn: three paths from one start on one surface, stepped in lockstep, with each
 * racer's iteration, epoch, loss and named outcome. Click the map to move the common start.
 */
import { button, select } from '../common/controls.js';
import { el, fmt } from '../common/dom.js';
import { onLanguageChange, t, type MessageKey } from '../common/i18n.js';
import { lossAndGradient } from './descent.js';
import { lossGrid, type LossGrid } from './heatmap.js';
import { makeRacers, raceKinds, racerDone, raceStep, type RaceKind, type Racer } from './race.js';
import { SurfaceView } from './surface-view.js';
import { surfaceIds, surfaces, type Surface, type SurfaceId } from './surfaces.js';

const LIMIT = 3000;
/** Iterations per animation frame: fast enough to finish in seconds, slow enough to watch. */
const PER_FRAME = 2;

export function mountComparison(host: HTMLElement): void {
  const kind = select<RaceKind>({ id: 'race-kind', label: 'gd.race.kind', choices: raceKinds.map((k) => ({ value: k, label: `gd.race.kind.${k}` as MessageKey })), value: 'optimizers' });
  const surfaceChoices = surfaceIds.filter((id) => surfaces[id].data === undefined);
  const surfaceSelect = select<SurfaceId>({ id: 'race-surface', label: 'gd.surface', choices: surfaceChoices.map((id) => ({ value: id, label: surfaces[id].label })), value: 'valley' });
  const play = button({ id: 'race-play', label: 'control.play', kind: 'primary' });
  const reset = button({ id: 'race-reset', label: 'control.reset' });
  const canvas = el('canvas', { class: 'plot', id: 'race-canvas', tabindex: 0, role: 'img', 'data-i18n-aria-label': 'gd.race.canvas' });
  const note = el('p', { class: 'note', id: 'race-note' });
  const results = el('ul', { class: 'summary', id: 'race-results', 'aria-live': 'polite' });
  host.append(
    el('div', { class: 'controls' }, kind.root, surfaceSelect.root),
    el('div', { class: 'grid' }, el('div', { class: 'card' }, canvas, el('div', { class: 'buttons' }, play, reset)), el('div', { class: 'card' }, note, results)),
  );

  let surface: Surface = surfaces.valley;
  let grid: LossGrid = lossGrid(surface, 120);
  let start: [number, number] = [surface.start[0], surface.start[1]];
  let racers: Racer[] = [];
  let playing = false;
  let lastShown = 0;
  const view = new SurfaceView(canvas, (w) => {
    start = w;
    restart();
  });

  function chooseSurface(): void {
    surface = kind.value === 'batches' ? surfaces.autompg : surfaces[surfaceSelect.value];
    surfaceSelect.root.hidden = kind.value === 'batches';
    grid = lossGrid(surface, surface.data ? 90 : 120);
    start = [surface.start[0], surface.start[1]];
    view.setSurface(surface, grid);
    restart();
  }

  function restart(): void {
    setPlaying(false);
    racers = makeRacers(kind.value, surface, grid, start, surface.learningRate);
    show();
  }

  function setPlaying(on: boolean): void {
    playing = on;
    play.dataset.i18n = on ? 'control.pause' : 'control.play';
    play.textContent = t(on ? 'control.pause' : 'control.play');
    play.setAttribute('aria-pressed', String(on));
    if (on) requestAnimationFrame(frame);
  }

  function frame(now: number): void {
    if (!playing) return;
    let moved = false;
    for (let k = 0; k < PER_FRAME; k++) moved = raceStep(racers, LIMIT) || moved;
    // Drawing three long paths costs more than stepping: at most ~30 pictures a second.
    if (now - lastShown > 33 || !moved) {
      lastShown = now;
      show();
    }
    if (!moved) return setPlaying(false);
    requestAnimationFrame(frame);
  }

  function show(): void {
    view.setPath({ path: [], gradient: null, others: racers.map((r) => ({ path: r.descent.path, color: r.color, dash: r.dash })) });
    note.textContent = t(kind.value === 'optimizers' ? 'gd.race.note.optimizers' : 'gd.race.note.batches', { lr: fmt(surface.learningRate, 3), w1: fmt(start[0], 3), w2: fmt(start[1], 3) });
    results.replaceChildren(
      ...racers.map((r) => {
        const d = r.descent;
        const loss = lossAndGradient(surface, d.point).loss;
        const done = racerDone(r, LIMIT);
        return el(
          'li',
          { 'data-racer': r.id, 'data-outcome': d.outcome, 'data-iteration': d.iteration },
          el('span', { class: 'swatch', style: `background:${r.color};border:1px solid #000` }),
          ' ',
          t(surface.data ? 'gd.race.lineEpoch' : 'gd.race.line', {
            name: t(r.label),
            iteration: d.iteration,
            epoch: fmt(d.iteration / d.iterationsPerEpoch, 3),
            loss: fmt(loss, 4),
            outcome: t(`gd.race.outcome.${d.outcome === 'running' && done ? 'limit' : d.outcome}` as MessageKey),
          }),
        );
      }),
    );
  }

  kind.onChange(chooseSurface);
  surfaceSelect.onChange(chooseSurface);
  reset.addEventListener('click', restart);
  play.addEventListener('click', () => {
    if (playing) return setPlaying(false);
    if (racers.every((r) => racerDone(r, LIMIT))) restart();
    setPlaying(true);
  });
  onLanguageChange(() => racers.length > 0 && show(), false);
  chooseSurface();
}
