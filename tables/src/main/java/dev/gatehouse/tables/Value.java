package dev.gatehouse.tables;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One DynamoDB attribute value. Numbers are held normalised ({@link Numbers#parse}), so equal numbers are equal
 * records; sets are {@link Set}s, so they compare as sets whatever order they were sent in.
 */
public sealed interface Value {

    /** DynamoDB's type name: {@code S, N, B, BOOL, NULL, M, L, SS, NS, BS}. */
    String type();

    /** A string. */
    record S(String value) implements Value {
        public S {
            Objects.requireNonNull(value, "value cannot be null");
        }

        @Override
        public String type() {
            return "S";
        }
    }

    /** A number, normalised. */
    record N(BigDecimal value) implements Value {
        public N {
            Objects.requireNonNull(value, "value cannot be null");
        }

        @Override
        public String type() {
            return "N";
        }

        /** The number as DynamoDB returns it: plain digits, no trailing fraction zeros. */
        public String text() {
            return Numbers.format(value);
        }
    }

    /** Binary; compared as unsigned bytes. */
    record B(Bytes value) implements Value {
        public B {
            Objects.requireNonNull(value, "value cannot be null");
        }

        @Override
        public String type() {
            return "B";
        }
    }

    /** A boolean. */
    record Bool(boolean value) implements Value {
        @Override
        public String type() {
            return "BOOL";
        }
    }

    /** NULL (always true on the wire). */
    record Null() implements Value {
        @Override
        public String type() {
            return "NULL";
        }
    }

    /** A map, in insertion order. */
    record M(Map<String, Value> value) implements Value {
        public M {
            Objects.requireNonNull(value, "value cannot be null");
        }

        @Override
        public String type() {
            return "M";
        }
    }

    /** A list. */
    record L(List<Value> value) implements Value {
        public L {
            Objects.requireNonNull(value, "value cannot be null");
        }

        @Override
        public String type() {
            return "L";
        }
    }

    /** A string set, never empty once stored. */
    record SS(Set<String> value) implements Value {
        public SS {
            Objects.requireNonNull(value, "value cannot be null");
        }

        @Override
        public String type() {
            return "SS";
        }
    }

    /** A number set of normalised numbers. */
    record NS(Set<BigDecimal> value) implements Value {
        public NS {
            Objects.requireNonNull(value, "value cannot be null");
        }

        @Override
        public String type() {
            return "NS";
        }
    }

    /** A binary set. */
    record BS(Set<Bytes> value) implements Value {
        public BS {
            Objects.requireNonNull(value, "value cannot be null");
        }

        @Override
        public String type() {
            return "BS";
        }
    }

    /** Immutable bytes with value equality and unsigned ordering. */
    final class Bytes implements Comparable<Bytes> {
        private final byte[] bytes;

        public Bytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        public byte[] toArray() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        public String base64() {
            return Base64.getEncoder().encodeToString(bytes);
        }

        /** Whether these bytes start with {@code prefix}. */
        public boolean startsWith(Bytes prefix) {
            return bytes.length >= prefix.bytes.length
                    && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
        }

        /** Whether {@code part} occurs in these bytes. */
        public boolean contains(Bytes part) {
            for (int i = 0; i + part.bytes.length <= bytes.length; i++) {
                if (Arrays.equals(bytes, i, i + part.bytes.length, part.bytes, 0, part.bytes.length)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int compareTo(Bytes other) {
            return Arrays.compareUnsigned(bytes, other.bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bytes b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
