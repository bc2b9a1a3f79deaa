package io.jgrad.layers;

import java.util.List;

/**
 * What {@link Module#loadStateDict(java.util.Map, boolean)} found: the model's keys absent from the
 * state dict, the state dict's keys the model does not have, and the keys whose shape or type does
 * not match (each with a description).
 */
public final class LoadResult {
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> mismatched;

    LoadResult(List<String> missing, List<String> unexpected, List<String> mismatched) {
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.mismatched = List.copyOf(mismatched);
    }

    /**
     * The model's keys that the state dict lacks (left unchanged).
     *
     * @return the names
     */
    public List<String> missingKeys() {
        return missing;
    }

    /**
     * The state dict's keys that the model does not have (ignored).
     *
     * @return the names
     */
    public List<String> unexpectedKeys() {
        return unexpected;
    }

    /**
     * Keys present on both sides whose shapes (or integer versus floating types) differ (not
     * loaded), each as {@code "name: expected shape (3, 4), got (4, 3)"}.
     *
     * @return the descriptions
     */
    public List<String> mismatchedKeys() {
        return mismatched;
    }

    /**
     * Whether every key matched.
     *
     * @return true when nothing is missing, unexpected or mis-shaped
     */
    public boolean isClean() {
        return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        if (!missing.isEmpty()) {
            sb.append("\n  missing keys: ").append(missing);
        }
        if (!unexpected.isEmpty()) {
            sb.append("\n  unexpected keys: ").append(unexpected);
        }
        if (!mismatched.isEmpty()) {
            sb.append("\n  mismatched keys: ").append(mismatched);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return isClean()
                ? "LoadResult(all keys matched)"
                : "LoadResult(" + describe().replace("\n  ", " ").trim() + ")";
    }
}
