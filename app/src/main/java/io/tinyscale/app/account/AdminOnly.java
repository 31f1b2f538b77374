package io.tinyscale.app.account;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A REST resource (class or method) only admins may call: accounts whose stored admin flag the
 * operator set with {@code ./tinyscale admin grant EMAIL}. Anyone else gets 403.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface AdminOnly {}
