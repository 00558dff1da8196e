/**
 * Layers as plain data and back: the topology part of a saved model. Only the layer kinds
 * gradiente has are accepted; anything else is named in the error.
 */
import { activationNames, getActivation, type ActivationName } from '../activations/index.js';
import { ModelFormatError } from '../errors.js';
import { initializerNames, type InitializerSpec } from '../nn/initializers.js';
import { Activation, Dense, Dropout, Flatten } from '../nn/layers.js';
import type { Module } from '../nn/module.js';
import { JsonPath, asBoolean, asInteger, asNumber, asObject, asString, oneOf } from './validate.js';

export type LayerConfig =
  | {
      class: 'Dense';
      config: {
        units: number;
        activation: ActivationName;
        activationAlpha?: number;
        useBias: boolean;
        kernelInitializer?: InitializerSpec;
        biasInitializer?: InitializerSpec;
      };
    }
  | { class: 'Activation'; config: { activation: ActivationName; alpha?: number } }
  | { class: 'Dropout'; config: { rate: number } }
  | { class: 'Flatten'; config: Record<string, never> };

export const supportedLayerClasses = ['Dense', 'Activation', 'Dropout', 'Flatten'] as const;

/** Activations whose shape depends on a parameter alpha. */
const withAlpha = new Set<string>(['leakyRelu', 'elu']);

/** The alpha an Activation layer was made with (the activation's default when not given). */
export function activationAlphaOf(layer: Activation): number | undefined {
  if (!withAlpha.has(layer.activation)) return undefined;
  return layer.alpha ?? (layer.activation === 'leakyRelu' ? 0.01 : 1);
}

export function layerToConfig(layer: Module, index: number): LayerConfig {
  if (layer instanceof Dense) {
    const o = layer.options;
    return {
      class: 'Dense',
      config: {
        units: layer.units,
        activation: layer.activation,
        ...(o.activationAlpha !== undefined ? { activationAlpha: o.activationAlpha } : {}),
        useBias: o.useBias ?? true,
        ...(o.kernelInitializer !== undefined ? { kernelInitializer: o.kernelInitializer } : {}),
        ...(o.biasInitializer !== undefined ? { biasInitializer: o.biasInitializer } : {}),
      },
    };
  }
  if (layer instanceof Activation) {
    const alpha = activationAlphaOf(layer);
    return { class: 'Activation', config: { activation: layer.activation, ...(alpha !== undefined ? { alpha } : {}) } };
  }
  if (layer instanceof Dropout) return { class: 'Dropout', config: { rate: layer.rate } };
  if (layer instanceof Flatten) return { class: 'Flatten', config: {} };
  throw new ModelFormatError(
    `cannot save layer ${index} (${layer.constructor.name}): only ${supportedLayerClasses.join(', ')} layers can be saved`,
  );
}

function parseInitializer(value: unknown, at: JsonPath): InitializerSpec | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return oneOf(value, initializerNames, at);
  const o = asObject(value, at);
  if (o.type !== 'constant') at.key('type').fail(`must be 'constant'`);
  return { type: 'constant', value: asNumber(o.value, at.key('value')) };
}

function parseAlpha(value: unknown, at: JsonPath): number | undefined {
  return value === undefined ? undefined : asNumber(value, at);
}

/** Check a layer entry from a file and return it typed (the layer is not made yet). */
export function parseLayerConfig(raw: unknown, at: JsonPath): LayerConfig {
  const entry = asObject(raw, at);
  const cls = asString(entry.class, at.key('class'));
  const c = asObject(entry.config ?? {}, at.key('config'));
  const cAt = at.key('config');
  switch (cls) {
    case 'Dense': {
      const activationAlpha = parseAlpha(c.activationAlpha, cAt.key('activationAlpha'));
      const kernelInitializer = parseInitializer(c.kernelInitializer, cAt.key('kernelInitializer'));
      const biasInitializer = parseInitializer(c.biasInitializer, cAt.key('biasInitializer'));
      return {
        class: 'Dense',
        config: {
          units: asInteger(c.units, cAt.key('units'), 1, 2 ** 31 - 1),
          activation: oneOf(c.activation ?? 'linear', activationNames, cAt.key('activation')),
          useBias: c.useBias === undefined ? true : asBoolean(c.useBias, cAt.key('useBias')),
          ...(activationAlpha !== undefined ? { activationAlpha } : {}),
          ...(kernelInitializer !== undefined ? { kernelInitializer } : {}),
          ...(biasInitializer !== undefined ? { biasInitializer } : {}),
        },
      };
    }
    case 'Activation': {
      const alpha = parseAlpha(c.alpha, cAt.key('alpha'));
      return { class: 'Activation', config: { activation: oneOf(c.activation, activationNames, cAt.key('activation')), ...(alpha !== undefined ? { alpha } : {}) } };
    }
    case 'Dropout': {
      const rate = asNumber(c.rate, cAt.key('rate'));
      if (!(rate >= 0 && rate < 1)) cAt.key('rate').fail(`must be in [0, 1), got ${rate}`);
      return { class: 'Dropout', config: { rate } };
    }
    case 'Flatten':
      return { class: 'Flatten', config: {} };
    default:
      return at.key('class').fail(`is '${cls}', a layer gradiente does not have; supported: ${supportedLayerClasses.join(', ')}`);
  }
}

/**
 * Make the layer. `inputDim` builds a Dense layer's parameters right away (its kernel then
 * has inputDim·units values: the caller checks that the weights file holds exactly those).
 */
export function layerFromConfig(layer: LayerConfig, inputDim: number | undefined): Module {
  switch (layer.class) {
    case 'Dense':
      const { units, ...options } = layer.config;
      return new Dense(units, { ...options, ...(inputDim !== undefined ? { inputDim } : {}) });
    case 'Activation':
      // getActivation validates the name and alpha before a layer exists.
      getActivation(layer.config.activation, { alpha: layer.config.alpha });
      return new Activation(layer.config.activation, layer.config.alpha !== undefined ? { alpha: layer.config.alpha } : {});
    case 'Dropout':
      return new Dropout(layer.config.rate);
    case 'Flatten':
      return new Flatten();
  }
}
