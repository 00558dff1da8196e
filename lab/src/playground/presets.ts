/**
 * Ready-made setups that each show one lesson of the course, as plain links (a teacher can
 * paste one into the slides). Each query string is a whole playground setup (state.ts).
 */
import type { MessageKey } from '../common/i18n.js';

export interface Preset {
  id: string;
  title: MessageKey;
  caption: MessageKey;
  /** Query string of the setup (no leading '?'). */
  query: string;
}

export const presets: readonly Preset[] = [
  {
    // Plain SGD at η = 10 saturates every unit in a few steps: the loss jumps from 0.69 to ~8.
    id: 'lr-too-large',
    title: 'pg.preset.lrTooLarge',
    caption: 'pg.preset.lrTooLarge.caption',
    query: 'data=xor&noise=0&layers=8.tanh_8.tanh&loss=bce&opt=sgd&lr=10&batch=16',
  },
  {
    // Eight sigmoid layers: the gradient reaching the first layers is too small to move them.
    id: 'vanishing',
    title: 'pg.preset.vanishing',
    caption: 'pg.preset.vanishing.caption',
    query: 'data=spiral&classes=2&layers=8.sigmoid_8.sigmoid_8.sigmoid_8.sigmoid_8.sigmoid_8.sigmoid_8.sigmoid_8.sigmoid&loss=bce&opt=sgd&lr=0.3&batch=16',
  },
  {
    // 100 noisy points, a wide network: the test loss turns up while the training loss falls.
    id: 'overfitting',
    title: 'pg.preset.overfitting',
    caption: 'pg.preset.overfitting.caption',
    query: 'data=circles&n=100&noise=0.35&test=0.3&layers=64.relu_64.relu&loss=bce&opt=adam&lr=0.03&batch=8&stop=15',
  },
  {
    // One sample per step at a constant η: the loss per iteration jumps around its trend.
    id: 'sgd-noise',
    title: 'pg.preset.sgdNoise',
    caption: 'pg.preset.sgdNoise.caption',
    query: 'data=gaussians&classes=2&noise=0.9&layers=8.tanh&loss=bce&opt=sgd&lr=0.3&batch=1',
  },
  {
    // ReLU with a large η: a big step pushes some neurons below zero for every input; they stop learning.
    id: 'dead-relu',
    title: 'pg.preset.deadRelu',
    caption: 'pg.preset.deadRelu.caption',
    query: 'data=xor&noise=0&layers=8.relu_8.relu&loss=bce&opt=sgd&lr=3&batch=16',
  },
  {
    id: 'batch-full',
    title: 'pg.preset.batchFull',
    caption: 'pg.preset.batchFull.caption',
    query: 'data=circles&noise=0.1&layers=8.tanh_8.tanh&loss=bce&opt=sgd&lr=0.5&batch=full',
  },
  {
    id: 'batch-mini',
    title: 'pg.preset.batchMini',
    caption: 'pg.preset.batchMini.caption',
    query: 'data=circles&noise=0.1&layers=8.tanh_8.tanh&loss=bce&opt=sgd&lr=0.5&batch=32',
  },
  {
    id: 'batch-one',
    title: 'pg.preset.batchOne',
    caption: 'pg.preset.batchOne.caption',
    query: 'data=circles&noise=0.1&layers=8.tanh_8.tanh&loss=bce&opt=sgd&lr=0.5&batch=1',
  },
];
