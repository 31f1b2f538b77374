package io.tinyscale.app.account;

import static io.tinyscale.storage.jooq.Tables.API_KEYS;
import static io.tinyscale.storage.jooq.Tables.USERS;

import io.tinyscale.core.ApiKey;
import io.tinyscale.core.ApiKeys;
import io.tinyscale.storage.jooq.tables.records.ApiKeysRecord;
import io.tinyscale.storage.jooq.tables.records.UsersRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;

/** Users and their API keys in Postgres. Only key hashes are stored. */
@ApplicationScoped
class AccountRepository {
  private final DSLContext dsl;

  AccountRepository(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Creates the user and its first key in one transaction; empty when the email is taken. */
  Optional<UsersRecord> createUser(String email, String passwordHash, ApiKey firstKey) {
    try {
      return Optional.of(dsl.transactionResult(tx -> {
        UsersRecord user = tx.dsl().insertInto(USERS)
            .set(USERS.EMAIL, email)
            .set(USERS.PASSWORD_HASH, passwordHash)
            .returning()
            .fetchOne();
        insertKey(tx.dsl(), user.getId(), "default", firstKey);
        return user;
      }));
    } catch (IntegrityConstraintViolationException e) {
      return Optional.empty();
    }
  }

  Optional<UsersRecord> findUserByEmail(String email) {
    return dsl.selectFrom(USERS).where(USERS.EMAIL.eq(email)).fetchOptional();
  }

  Optional<UsersRecord> findUser(long id) {
    return dsl.selectFrom(USERS).where(USERS.ID.eq(id)).fetchOptional();
  }

  ApiKeysRecord addKey(long userId, String name, ApiKey key) {
    return insertKey(dsl, userId, name, key);
  }

  private static ApiKeysRecord insertKey(DSLContext dsl, long userId, String name, ApiKey key) {
    return dsl.insertInto(API_KEYS)
        .set(API_KEYS.USER_ID, userId)
        .set(API_KEYS.NAME, name)
        .set(API_KEYS.KEY_HASH, key.hash())
        .set(API_KEYS.KEY_PREFIX, key.prefix())
        .returning()
        .fetchOne();
  }

  /** The owner of the key with this hash, found by the hash's unique index. */
  Optional<Caller> findByKeyHash(String hash) {
    return dsl.select(USERS.ID, USERS.EMAIL)
        .from(API_KEYS)
        .join(USERS).on(USERS.ID.eq(API_KEYS.USER_ID))
        .where(API_KEYS.KEY_HASH.eq(hash))
        .fetchOptional(r -> new Caller(r.value1(), r.value2(), "key:" + hash));
  }

  List<ApiKeysRecord> listKeys(long userId) {
    return dsl.selectFrom(API_KEYS).where(API_KEYS.USER_ID.eq(userId)).orderBy(API_KEYS.ID).fetch();
  }

  /** Deletes the user's key; returns its hash so caches can forget it. */
  Optional<String> deleteKey(long userId, long keyId) {
    return dsl.deleteFrom(API_KEYS)
        .where(API_KEYS.ID.eq(keyId).and(API_KEYS.USER_ID.eq(userId)))
        .returning(API_KEYS.KEY_HASH)
        .fetchOptional(API_KEYS.KEY_HASH);
  }
}
