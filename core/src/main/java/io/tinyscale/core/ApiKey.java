package io.tinyscale.core;

/**
 * A freshly generated API key. Only {@code hash} and {@code prefix} are stored; {@code plaintext}
 * is shown to its owner once.
 */
public record ApiKey(String plaintext, String hash, String prefix) {

  // The default record toString would put the secret into any log line that prints the key.
  @Override
  public String toString() {
    return "ApiKey[prefix=" + prefix + ", hash=" + hash + "]";
  }
}
