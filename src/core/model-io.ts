import * as tf from './tf.js';
import { BASE_MODELS, isBaseModelId, type InputRange, type Pooling } from './base-models.js';
import { disposeLayersModel } from './dispose.js';
import { ClassifierError, errors, messageOf } from './errors.js';
import type { BaseModelInfo } from './feature-extractor.js';
import { RECIPE_PREPROCESSING, type Preprocessing } from './preprocess.js';

/**
 * `metadata.json`, written next to a saved `model.json` and kept in its `userDefinedMetadata`
 * (so an IndexedDB copy carries it too). The first fields are those Teachable Machine writes for
 * an image model, so tools that read one read the other.
 */
export interface ModelMetadata {
  /** TensorFlow.js version that wrote the model, e.g. `4.22.0`. */
  tfjsVersion: string;
  /** Teachable Machine's version; only in its exports. */
  tmVersion?: string;
  packageName: string;
  packageVersion: string;
  /** When the model was saved, ISO 8601. */
  timeStamp: string;
  userMetadata: Record<string, unknown>;
  modelName: string;
  /** Label names in the order of the model's outputs. */
  labels: string[];
  /** Side of the square input in pixels (224; 96 for `mobilenet-v2-0.50-96`). */
  imageSize?: number;
  /** How an image becomes the model's input; absent in Teachable Machine exports, which preprocess as the recipe does. */
  preprocessing?: {
    /** Before the crop, as `decodeImage` does: EXIF orientation, transparency on white. */
    decode: string;
    crop: 'center-square';
    /** How the square becomes `size` x `size`, as `decodeImage` does it. */
    resize: string;
    size: number;
    /** Pixel values 0-255 → the base's range, as a formula: `x / 127.5 - 1` or `x / 255`. */
    scale: string;
    /** The same as `[min, max]`: what `imageToInput` reads. */
    inputRange?: InputRange;
  };
  /**
   * The frozen base network the head was trained on. `format` `graph`: the saved model is the head
   * alone (input `[batch, features]`), and loading it loads the base from `url` first.
   */
  baseModel?: { id?: string; name: string; url: string; cutLayer: string; format?: 'layers' | 'graph'; pooling?: Pooling };
}

/** What {@link modelMetadata} needs to know beyond the labels. */
export interface MetadataInfo {
  labels: string[];
  modelName?: string;
  /** The base the head was trained on, as the feature extractor reports it. */
  base: BaseModelInfo;
}

/** `packageName` and `packageVersion` of what we write. */
const PACKAGE = { name: 'ml-classifier', version: '0.1.0' };

/** The metadata of a model this package trains: labels, preprocessing and base model, stamped now. */
export function modelMetadata(info: MetadataInfo): ModelMetadata {
  return {
    tfjsVersion: tf.version_core,
    packageName: PACKAGE.name,
    packageVersion: PACKAGE.version,
    timeStamp: new Date().toISOString(),
    userMetadata: {},
    modelName: info.modelName ?? 'ml-classifier-model',
    labels: [...info.labels],
    imageSize: info.base.inputSize,
    preprocessing: {
      decode: 'EXIF orientation applied; transparent pixels on white',
      crop: 'center-square',
      resize: 'canvas drawImage with imageSmoothingQuality "high"',
      size: info.base.inputSize,
      scale: info.base.inputRange[0] === -1 && info.base.inputRange[1] === 1 ? 'x / 127.5 - 1' : `x / ${255 / (info.base.inputRange[1] - info.base.inputRange[0])} + ${info.base.inputRange[0]}`,
      inputRange: [...info.base.inputRange],
    },
    baseModel: {
      id: info.base.id,
      name: isBaseModelId(info.base.id) ? BASE_MODELS[info.base.id].name : `custom base at ${info.base.url}`,
      url: info.base.url,
      cutLayer: info.base.cutLayer,
      format: info.base.format,
      pooling: info.base.pooling,
    },
  };
}

/** How a saved model's images are preprocessed, from its metadata: the recipe's when it does not say (Teachable Machine). */
export function metadataPreprocessing(metadata: ModelMetadata | undefined): Preprocessing {
  const range = metadata?.preprocessing?.inputRange;
  return {
    size: metadata?.preprocessing?.size ?? metadata?.imageSize ?? RECIPE_PREPROCESSING.size,
    inputRange: Array.isArray(range) && range.length === 2 ? [range[0], range[1]] : RECIPE_PREPROCESSING.inputRange,
  };
}

/**
 * The three files of a saved model: `model.json` (topology, weights manifest and the metadata as
 * `userDefinedMetadata`), `weights.bin` (every weight, float32) and `metadata.json`. The same
 * files `tf.loadLayersModel` and Teachable Machine's loader read.
 */
export async function modelFiles(model: tf.LayersModel, metadata: ModelMetadata): Promise<File[]> {
  model.setUserDefinedMetadata({ ...metadata });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const { modelTopology, weightSpecs, weightData, format, generatedBy, convertedBy, userDefinedMetadata } = artifacts!;
  const modelJson = {
    format,
    generatedBy,
    convertedBy,
    modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
    userDefinedMetadata,
  };
  const json = (value: unknown) => new Blob([JSON.stringify(value)], { type: 'application/json' });
  return [
    new File([json(modelJson)], 'model.json', { type: 'application/json' }),
    new File(([] as ArrayBuffer[]).concat(weightData ?? []), 'weights.bin', { type: 'application/octet-stream' }),
    new File([json(metadata)], 'metadata.json', { type: 'application/json' }),
  ];
}

/**
 * Loads a saved model and its metadata.
 *
 * @param source a `model.json` URL (its `metadata.json` is read from the same folder, falling back
 *   to the model's `userDefinedMetadata`), an `indexeddb://name` URL, or the files `model.json`,
 *   its weight files (`*.bin`) and optionally `metadata.json`.
 * @returns the model (input `[batch, size, size, 3]` in the range its metadata gives, or the head
 *   alone for a graph base), its metadata, and the names of
 *   files given that are not part of it (`ignored`), to report.
 * @throws ClassifierError `model-load-failed` naming the source and the reason: files missing
 *   (model.json, a weight file it names), unreadable, no labels, or labels that do not match the
 *   model's outputs.
 */
export async function loadModelWithMetadata(source: string | readonly File[]): Promise<{ model: tf.LayersModel; metadata: ModelMetadata; ignored: string[] }> {
  const where = typeof source === 'string' ? source : source.map((f) => f.name).join(', ');
  const failed = (reason: string, cause?: unknown) => errors.savedModelLoadFailed(where, reason, cause);
  let model: tf.LayersModel;
  let metadata: ModelMetadata | undefined;
  let ignored: string[] = [];
  try {
    if (typeof source === 'string') {
      model = await tf.loadLayersModel(source);
      // Browser storage schemes keep the metadata inside the model; files on a server have it beside.
      if (!/^(indexeddb|localstorage):\/\//i.test(source)) metadata = await fetchMetadata(new URL('metadata.json', new URL(source, location.href)));
    } else {
      const files = await sortModelFiles(source, failed);
      ignored = files.ignored;
      model = await tf.loadLayersModel(tf.io.browserFiles([files.model, ...files.weights]));
      metadata = files.metadata;
    }
  } catch (cause) {
    throw cause instanceof ClassifierError ? cause : failed(messageOf(cause), cause);
  }
  metadata ??= model.getUserDefinedMetadata() as ModelMetadata | undefined;
  const outputs = (model.outputs[0].shape as number[]).at(-1);
  const problem = !Array.isArray(metadata?.labels)
    ? 'there is no metadata.json with the labels next to it, nor labels in the model.'
    : metadata.labels.length !== outputs
      ? `metadata.json lists ${metadata.labels.length} labels but the model has ${outputs} outputs.`
      : undefined;
  if (problem) {
    disposeLayersModel(model);
    throw failed(problem);
  }
  return { model, metadata: metadata!, ignored };
}

/**
 * Finds the parts of a saved model among files by content, not name, since browsers rename
 * repeated downloads (`model (1).json`, `weights (1).bin`): the JSON with `modelTopology` is the
 * model, the JSON with `labels` the metadata, and each weight file the manifest names is matched
 * by name, or taken as is when there is one weight file for one path.
 */
async function sortModelFiles(files: readonly File[], failed: (reason: string) => ClassifierError) {
  let model: File | undefined;
  let manifestPaths: string[] = [];
  let metadata: ModelMetadata | undefined;
  const bins: File[] = [];
  const ignored: string[] = [];
  for (const file of files) {
    if (file.name.endsWith('.bin')) {
      bins.push(file);
      continue;
    }
    if (!file.name.endsWith('.json')) {
      ignored.push(file.name);
      continue;
    }
    let json: { modelTopology?: unknown; weightsManifest?: { paths: string[] }[]; labels?: unknown };
    try {
      json = JSON.parse(await file.text());
    } catch (cause) {
      throw failed(`${file.name} is not valid JSON (${messageOf(cause)}).`);
    }
    if (json.modelTopology) {
      model = file;
      manifestPaths = (json.weightsManifest ?? []).flatMap((group) => group.paths);
    } else if (Array.isArray(json.labels)) metadata = json as unknown as ModelMetadata;
    else ignored.push(file.name);
  }
  if (!model) throw failed('no model.json (a JSON file with modelTopology) among the files.');
  const baseName = (path: string) => path.split('/').pop()!;
  const used =
    bins.length === 1 && manifestPaths.length === 1
      ? bins
      : manifestPaths.map((path) => {
          const file = bins.find((b) => b.name === baseName(path));
          if (!file) throw failed(`the weight file ${baseName(path)} that ${model!.name} names is not among the files.`);
          return file;
        });
  // tf.io.browserFiles matches weight files to the manifest by name.
  const weights = used.map((file, i) => new File([file], baseName(manifestPaths[i])));
  ignored.push(...bins.filter((b) => !used.includes(b)).map((b) => b.name));
  return { model, weights, metadata, ignored };
}

/** `metadata.json` at `url`, or undefined when there is none (a model that carries its own). */
async function fetchMetadata(url: URL): Promise<ModelMetadata | undefined> {
  const response = await fetch(url);
  return response.ok ? ((await response.json()) as ModelMetadata) : undefined;
}
