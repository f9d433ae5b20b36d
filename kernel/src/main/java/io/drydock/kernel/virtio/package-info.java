/**
 * The virtio core: everything about a virtio device that does not depend on its transport (virtio 1.2).
 *
 * <h2>Writing a device (virtio-fs, virtio-rng, …)</h2>
 * <ol>
 *   <li>Implement {@link io.drydock.kernel.virtio.VirtioDevice}: id, offered features (device bits plus
 *       {@link io.drydock.kernel.virtio.VirtioFeatures#RING_DEFAULT}), configuration space, queue count and
 *       maximum sizes, optional {@link io.drydock.kernel.virtio.SharedMemoryRegion}s (virtio-fs's DAX
 *       window is id 0), and {@code activate / queueNotified / reset}.</li>
 *   <li>In the device's DSL word (phase DEVICE), attach it through the machine service
 *       {@link io.drydock.kernel.virtio.VirtioTransportFactory}:
 *       {@code VirtioTransportFactory.require(assembly.services(), "pci", "virtioFs").attach(device, OptionalInt.empty())}
 *       — kind "pci" comes from the {@code pci} word, "mmio" from {@code virtioMmio}; the device plugin
 *       never imports the PCI plugin.</li>
 *   <li>At DRIVER_OK the device receives an {@link io.drydock.kernel.virtio.ActiveContext} (guest memory,
 *       negotiated features, enabled queues). On a notification, pop chains with
 *       {@link io.drydock.kernel.virtio.Virtqueue#pop()} (or {@link io.drydock.kernel.virtio.Virtqueue#drain}),
 *       read the request with {@link io.drydock.kernel.virtio.DescriptorChain#reader()}, write the reply with
 *       {@link io.drydock.kernel.virtio.DescriptorChain#writer()}, and hand it back with
 *       {@link io.drydock.kernel.virtio.Virtqueue#complete} — from any thread, in any order. The core
 *       publishes the used element (release fence before used->idx) and interrupts unless the driver
 *       suppressed it.</li>
 *   <li>Guest errors never throw to a hart: malformed chains become a {@link io.drydock.kernel.virtio.VirtqueueError}
 *       and DEVICE_NEEDS_RESET (counted, logged once, configuration interrupt); a device-specific violation
 *       goes through {@link io.drydock.kernel.virtio.ActiveContext#deviceError}. A
 *       {@link io.drydock.kernel.virtio.VirtqueueException} (already reported) unwinds a request; catch it at
 *       the top of a worker loop.</li>
 * </ol>
 *
 * <h2>Metrics</h2>
 * {@code virtq.NAME.N.notifications} (driver notifications = guest MMIO exits), {@code .interrupts},
 * {@code .chains}, {@code .bytes_read}, {@code .bytes_written}; {@code virtio.NAME.needs_reset},
 * {@code virtio.NAME.config_interrupts}. NAME is the device's name made unique per machine.
 *
 * <h2>Tests</h2>
 * The kernel's test-jar ({@code io.drydock.kernel.testing}) has a fake guest memory, a
 * {@code VirtqueueDriver} that plays the driver side of a split ring, a test board and an echo device.
 */
package io.drydock.kernel.virtio;
