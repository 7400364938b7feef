package dev.gatehouse.iam;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** The request times SigV4 reads: {@code X-Amz-Date} in ISO-8601 basic format, or an HTTP {@code Date}. */
final class AmzDates {

    private static final DateTimeFormatter BASIC_FORMAT =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter HTTP_DATE_FORMAT = DateTimeFormatter.ofPattern(
                    "d MMM uuuu HH:mm:ss 'GMT'", Locale.ENGLISH)
            .withResolverStyle(ResolverStyle.STRICT);

    private AmzDates() {}

    /** {@code X-Amz-Date} must be ISO-8601 basic format; the {@code Date} fallback may also be an HTTP date. */
    static Instant parse(String value, boolean httpDateAllowed) throws SignatureException {
        Optional<Instant> basic = parseBasic(value);
        if (basic.isPresent()) {
            return basic.get();
        }
        if (httpDateAllowed) {
            try {
                // The day name is ignored: AWS's own test suite sends "Mon, 09 Sep 2011", a Friday.
                String withoutDayName = value.substring(value.indexOf(',') + 1).trim();
                return LocalDateTime.parse(withoutDayName, HTTP_DATE_FORMAT).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // reported below
            }
        }
        throw new SignatureException(
                SignatureException.Reason.MALFORMED_DATE,
                "Date must be in ISO-8601 'basic format'. " + "Got '" + value
                        + "'. See http://en.wikipedia.org/wiki/ISO_8601");
    }

    /**
     * {@code uuuuMMdd'T'HHmmss'Z'}, strictly (as {@link #BASIC_FORMAT} with the strict resolver: ASCII digits only, real
     * calendar dates, hours 00-23, seconds 00-59), without the formatter's cost on every signed request.
     */
    static Optional<Instant> parseBasic(String value) {
        if (!basicShape(value)) {
            return Optional.empty();
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 4, 2);
        int day = digits(value, 6, 2);
        int hour = digits(value, 9, 2);
        int minute = digits(value, 11, 2);
        int second = digits(value, 13, 2);
        if ((year | month | day | hour | minute | second) < 0
                || hour > 23
                || minute > 59
                || second > 59
                || month < 1
                || month > 12
                || day < 1
                || day > YearMonth.of(year, month).lengthOfMonth()) {
            return Optional.empty();
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Optional.of(Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second));
    }

    /** The number in {@code count} ASCII digits from {@code from}; -1 if one is not an ASCII digit. */
    private static int digits(String value, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * The request time in basic format, from a value {@link #parse} accepted: the value as sent when it has the basic
     * shape (it was then parsed as basic format, and formats to itself), else formatted.
     */
    static String amzDate(String sent, Instant requestTime) {
        return basicShape(sent) ? sent : format(requestTime);
    }

    private static boolean basicShape(String value) {
        return value.length() == 16 && value.charAt(8) == 'T' && value.charAt(15) == 'Z';
    }

    /** {@code instant} in ISO-8601 basic format, to the second. */
    static String format(Instant instant) {
        return BASIC_FORMAT.format(LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
    }
}
