package io.jgrad.core.io;

import java.nio.file.Path;

/** A process that starts an atomic write and never finishes it, to be killed by a test. */
public final class AtomicWriteThenHang {
    private AtomicWriteThenHang() {}

    /**
     * Starts writing {@code args[0]}, prints {@code writing} and blocks inside the write until killed.
     *
     * @param args the target file
     * @throws Exception never in practice
     */
    public static void main(String[] args) throws Exception {
        AtomicFiles.write(Path.of(args[0]), out -> {
            out.write(new byte[1000]);
            out.flush();
            // the temporary file exists and is locked: say so, then block until killed (stdin stays open)
            System.out.println("writing");
            System.out.flush();
            System.in.read();
        });
    }
}
