package dev.gatehouse.tables;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * DynamoDB numbers: up to 38 significant digits, magnitudes from 1E-130 to below 1E+126, held as normalised
 * {@link BigDecimal}s (trailing zeros stripped, every zero the same) and written in plain notation.
 */
final class Numbers {

    static final int MAX_DIGITS = 38;
    /** Decimal syntax DynamoDB accepts: optional sign, digits with optional fraction, optional exponent. */
    private static final Pattern SYNTAX = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,9})?");

    private Numbers() {}

    /**
     * The number {@code text} denotes, normalised.
     *
     * @throws TablesException ValidationException with DynamoDB's text when it is not a number or out of range
     */
    static BigDecimal parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw TablesException.validation("The parameter cannot be converted to a numeric value");
        }
        if (!SYNTAX.matcher(trimmed).matches()) {
            throw TablesException.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        BigDecimal number;
        try {
            number = new BigDecimal(trimmed);
        } catch (NumberFormatException | ArithmeticException e) {
            throw TablesException.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        return checkRange(number);
    }

    /** Checks the range and precision of a computed number (an update's {@code +}/{@code -}, ADD). */
    static BigDecimal checkRange(BigDecimal number) {
        if (number.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal stripped = number.stripTrailingZeros();
        int adjusted = stripped.precision() - stripped.scale() - 1;
        if (adjusted > 125) {
            throw TablesException.validation(
                    "Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (adjusted < -130) {
            throw TablesException.validation(
                    "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        if (stripped.precision() > MAX_DIGITS) {
            throw TablesException.validation("Attempting to store more than 38 significant digits in a Number");
        }
        return stripped;
    }

    /** The plain-notation text DynamoDB returns: {@code 1.5E2} becomes {@code 150}, {@code 1.0} becomes {@code 1}. */
    static String format(BigDecimal number) {
        return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
    }

    /**
     * Stored size in bytes, as DynamoDB counts it: about one byte per two significant digits, plus one; one more for
     * a negative number.
     */
    static int size(BigDecimal number) {
        if (number.signum() == 0) {
            return 1;
        }
        BigDecimal stripped = number.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        int exponent = stripped.precision() - stripped.scale() - 1;
        // digits are grouped in pairs aligned on the decimal point
        int leading = Math.floorMod(exponent, 2) == 0 ? 1 : 0;
        int size = 1 + (digits.length() + leading + 1) / 2;
        return number.signum() < 0 ? size + 1 : size;
    }
}
