package io.drydock.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The points of a sweep: the cartesian product of its parameters' values. */
public final class Sweeps {
    private Sweeps() {}

    /**
     * Every combination of the values of {@code parameters} (each a collection or a single value), the
     * first parameter varying slowest, each point a map in parameter order.
     *
     * @throws IllegalArgumentException when a parameter has no values
     */
    public static List<Map<String, Object>> product(Map<String, Object> parameters) {
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, Object> e : parameters.entrySet()) {
            List<Object> values = BenchSession.values(e.getValue());
            if (values.isEmpty()) throw new IllegalArgumentException("sweep parameter '" + e.getKey() + "' has no values");
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> p : points) {
                for (Object v : values) {
                    Map<String, Object> q = new LinkedHashMap<>(p);
                    q.put(e.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }
}
