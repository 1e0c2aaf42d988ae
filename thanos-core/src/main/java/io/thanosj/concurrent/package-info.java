/** Thread pools shared by the components' request paths. */
package io.thanosj.concurrent;
