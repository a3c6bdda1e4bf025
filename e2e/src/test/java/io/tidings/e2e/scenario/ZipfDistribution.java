package io.tidings.e2e.scenario;

import java.util.Arrays;
import java.util.Random;

/**
 * Zipf distribution over ranks 0 to n-1: rank k is drawn with a probability proportional to
 * 1 / (k + 1)^s. An exponent of 0 gives the uniform distribution.
 */
final class ZipfDistribution {

    private final double[] cumulative;

    ZipfDistribution(int n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("a Zipf distribution needs at least 1 rank, got " + n);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
    }

    /** Returns the probability of rank {@code k}. */
    double probability(int k) {
        return k == 0 ? cumulative[0] : cumulative[k] - cumulative[k - 1];
    }

    int sample(Random random) {
        int index = Arrays.binarySearch(cumulative, random.nextDouble());
        int rank = index >= 0 ? index : -index - 1;
        return Math.min(rank, cumulative.length - 1);
    }
}
