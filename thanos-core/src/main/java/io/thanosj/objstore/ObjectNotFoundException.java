package io.thanosj.objstore;

import io.thanosj.model.ErrorCode;
import io.thanosj.model.ThanosException;

/** The object asked for does not exist; {@link Bucket#isObjNotFound(Throwable)} detects it. */
public final class ObjectNotFoundException extends ThanosException {
    private final String bucket;
    private final String object;

    public ObjectNotFoundException(String bucket, String object) {
        super(ErrorCode.NOT_FOUND, "object not found: bucket " + bucket + ", object " + object);
        this.bucket = bucket;
        this.object = object;
    }

    public String bucket() {
        return bucket;
    }

    public String object() {
        return object;
    }
}
