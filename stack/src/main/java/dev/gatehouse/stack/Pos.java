package dev.gatehouse.stack;

/** Where a template node starts: the file as named to the reader and a 1-based line. */
record Pos(String file, int line) {

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
