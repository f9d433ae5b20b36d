package io.drydock.bench.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order of the variants within each round. Every round runs every variant once, so run i of one
 * variant pairs with run i of every other; the order changes from round to round so that no variant
 * always runs first (warm caches, a machine that heats up).
 */
public enum RunOrder {
    /** Round r starts at variant r mod n: A B, B A, A B ... (A B C, B C A, C A B ...). */
    ALTERNATE,
    /** Each round is shuffled with a Random seeded once per bench: reproducible for a given seed. */
    RANDOM;

    /** The sequence of variant indices for one round; {@code random} is consulted only for RANDOM. */
    public List<Integer> round(int round, int variants, Random random) {
        List<Integer> order = new ArrayList<>(variants);
        for (int i = 0; i < variants; i++) order.add(i);
        switch (this) {
            case ALTERNATE -> Collections.rotate(order, -(round % Math.max(1, variants)));
            case RANDOM -> Collections.shuffle(order, random);
        }
        return order;
    }
}
