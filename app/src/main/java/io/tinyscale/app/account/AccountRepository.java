package io.tinyscale.app.account;

import static io.tinyscale.storage.jooq.Tables.API_KEYS;
import static io.tinyscale.storage.jooq.Tables.USERS;

import io.tinyscale.core.ApiKey;
import io.tinyscale.storage.jooq.tables.records.ApiKeysRecord;
import io.tinyscale.storage.jooq.tables.records.UsersRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
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
  Optional<Account> createUser(String email, String passwordHash, ApiKey firstKey) {
    try {
      return Optional.of(
          dsl.transactionResult(
              tx -> {
                Account account =
                    tx.dsl()
                        .insertInto(USERS)
                        .set(USERS.EMAIL, email)
                        .set(USERS.PASSWORD_HASH, passwordHash)
                        .returning()
                        .fetchOne(AccountRepository::toAccount);
                insertKey(tx.dsl(), account.id(), "default", firstKey);
                return account;
              }));
    } catch (IntegrityConstraintViolationException e) {
      return Optional.empty();
    }
  }

  Optional<Account> findUserByEmail(String email) {
    return dsl.selectFrom(USERS)
        .where(USERS.EMAIL.eq(email))
        .fetchOptional(AccountRepository::toAccount);
  }

  Optional<Account> findUser(long id) {
    return dsl.selectFrom(USERS).where(USERS.ID.eq(id)).fetchOptional(AccountRepository::toAccount);
  }

  /**
   * Adds a key unless the account already holds {@code maxKeys}; the account's row is locked
   * meanwhile, so concurrent requests cannot pass the cap together.
   */
  Optional<ApiKeyInfo> addKey(long userId, String name, ApiKey key, int maxKeys) {
    return dsl.transactionResult(
        tx -> {
          tx.dsl().selectFrom(USERS).where(USERS.ID.eq(userId)).forUpdate().fetchOne();
          if (tx.dsl().fetchCount(API_KEYS, API_KEYS.USER_ID.eq(userId)) >= maxKeys) {
            return Optional.<ApiKeyInfo>empty();
          }
          return Optional.of(insertKey(tx.dsl(), userId, name, key));
        });
  }

  private static ApiKeyInfo insertKey(DSLContext dsl, long userId, String name, ApiKey key) {
    return dsl.insertInto(API_KEYS)
        .set(API_KEYS.USER_ID, userId)
        .set(API_KEYS.NAME, name)
        .set(API_KEYS.KEY_HASH, key.hash())
        .set(API_KEYS.KEY_PREFIX, key.prefix())
        .returning()
        .fetchOne(AccountRepository::toKeyInfo);
  }

  /** The owner of the key with this hash, found by the hash's unique index. */
  Optional<Caller> findByKeyHash(String hash) {
    return dsl.select(USERS.ID, USERS.EMAIL, USERS.IS_ADMIN)
        .from(API_KEYS)
        .join(USERS)
        .on(USERS.ID.eq(API_KEYS.USER_ID))
        .where(API_KEYS.KEY_HASH.eq(hash))
        .fetchOptional(r -> new Caller(r.value1(), r.value2(), r.value3(), "key:" + hash));
  }

  /**
   * Sets the admin flag of the accounts with these (normalised) emails; returns the ids of the
   * accounts whose flag changed.
   */
  List<Long> setAdmin(Collection<String> emails, boolean admin) {
    return dsl.update(USERS)
        .set(USERS.IS_ADMIN, admin)
        .where(USERS.EMAIL.in(emails).and(USERS.IS_ADMIN.ne(admin)))
        .returning(USERS.ID)
        .fetch(USERS.ID);
  }

  List<ApiKeyInfo> listKeys(long userId) {
    return dsl.selectFrom(API_KEYS)
        .where(API_KEYS.USER_ID.eq(userId))
        .orderBy(API_KEYS.ID)
        .fetch(AccountRepository::toKeyInfo);
  }

  /** Deletes the user's key; returns its hash so caches can forget it. */
  Optional<String> deleteKey(long userId, long keyId) {
    return dsl.deleteFrom(API_KEYS)
        .where(API_KEYS.ID.eq(keyId).and(API_KEYS.USER_ID.eq(userId)))
        .returning(API_KEYS.KEY_HASH)
        .fetchOptional(API_KEYS.KEY_HASH);
  }

  private static Account toAccount(UsersRecord r) {
    return new Account(r.getId(), r.getEmail(), r.getIsAdmin(), r.getPasswordHash());
  }

  private static ApiKeyInfo toKeyInfo(ApiKeysRecord r) {
    return new ApiKeyInfo(r.getId(), r.getName(), r.getKeyPrefix(), r.getCreatedAt());
  }
}
