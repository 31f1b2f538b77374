package io.tinyscale.devstack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One devstack per home directory: two would share the engines' data directories, and the second
 * would take the first's engines for leftovers. The OS releases the lock when the process dies,
 * even by SIGKILL, which is what lets the next devstack tell leftovers from engines in use.
 */
final class HomeLock implements AutoCloseable {

  static final String FILE_NAME = "devstack.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private HomeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static HomeLock acquire(Path home) {
    Path file = home.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(home);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this JVM: an Engines not closed yet
      }
      if (lock == null) {
        String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        channel.close();
        throw new DevStackException(
            "Another devstack is running with home "
                + home
                + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                + ". Stop it (Ctrl-C where it runs),"
                + " or give this one another home with --home or TINYSCALE_HOME.");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
      return new HomeLock(channel, lock);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // reporting the first failure
        }
      }
      throw new DevStackException(
          "Cannot use "
              + home
              + " as devstack's home ("
              + Local.rootMessage(e)
              + "). Make it writable, or choose another with --home or TINYSCALE_HOME.",
          e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
