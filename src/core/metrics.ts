/**
 * Confusion matrix of a set of predictions: `matrix[actual][predicted]` counts images, rows and
 * columns in label order. The diagonal holds the correct predictions; a row sums to that label's
 * image count.
 *
 * @param numLabels N, the matrix is `[N, N]`.
 * @param actual true label index of each image, integers in [0, N).
 * @param predicted predicted label index of each image (the argmax of the softmax), same length.
 */
export function confusionMatrix(numLabels: number, actual: readonly number[], predicted: readonly number[]): number[][] {
  const matrix = Array.from({ length: numLabels }, () => new Array<number>(numLabels).fill(0));
  actual.forEach((label, i) => matrix[label][predicted[i]]++);
  return matrix;
}

/** Correct predictions and images per label (a confusion matrix's diagonal and row sums); `accuracy` is 0-1, NaN for a label with no images. */
export function perLabelAccuracy(matrix: readonly number[][]): { correct: number; total: number; accuracy: number }[] {
  return matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return { correct: row[i], total, accuracy: row[i] / total };
  });
}
