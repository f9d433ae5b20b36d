package io.drydock.kernel.sys;

/** Linux errno values (asm-generic/errno-base.h, errno.h) used by Drydock, and their names. */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
            ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
            EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            ENFILE = 23, EMFILE = 24, ENOTTY = 25, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30,
            EMLINK = 31, EPIPE = 32, ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOSYS = 38,
            ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61, EOVERFLOW = 75, EMSGSIZE = 90, EOPNOTSUPP = 95, ENOTSUP = 95,
            ETIMEDOUT = 110;

    private static final String[] NAMES = new String[134];
    static {
        String[][] table = {
            {"1", "EPERM"}, {"2", "ENOENT"}, {"3", "ESRCH"}, {"4", "EINTR"}, {"5", "EIO"}, {"6", "ENXIO"},
            {"7", "E2BIG"}, {"8", "ENOEXEC"}, {"9", "EBADF"}, {"10", "ECHILD"}, {"11", "EAGAIN"},
            {"12", "ENOMEM"}, {"13", "EACCES"}, {"14", "EFAULT"}, {"16", "EBUSY"}, {"17", "EEXIST"},
            {"18", "EXDEV"}, {"19", "ENODEV"}, {"20", "ENOTDIR"}, {"21", "EISDIR"}, {"22", "EINVAL"},
            {"23", "ENFILE"}, {"24", "EMFILE"}, {"25", "ENOTTY"}, {"27", "EFBIG"}, {"28", "ENOSPC"},
            {"29", "ESPIPE"}, {"30", "EROFS"}, {"31", "EMLINK"}, {"32", "EPIPE"}, {"34", "ERANGE"},
            {"35", "EDEADLK"}, {"36", "ENAMETOOLONG"}, {"38", "ENOSYS"}, {"39", "ENOTEMPTY"},
            {"40", "ELOOP"}, {"61", "ENODATA"}, {"75", "EOVERFLOW"}, {"90", "EMSGSIZE"}, {"95", "EOPNOTSUPP"},
            {"110", "ETIMEDOUT"},
        };
        for (String[] row : table) NAMES[Integer.parseInt(row[0])] = row[1];
    }

    /** "ENOENT (2)", or "errno 123" for a value without a name here. */
    public static String describe(int errno) {
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return name != null ? name + " (" + errno + ")" : "errno " + errno;
    }
}
