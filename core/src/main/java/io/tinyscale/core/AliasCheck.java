package io.tinyscale.core;

/** The verdict on a custom alias: {@link Aliases#check(String)}. */
public sealed interface AliasCheck {

  record Valid(String alias) implements AliasCheck {}

  record Invalid(String reason) implements AliasCheck {}
}
