package org.bevt4j.core.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.bevt4j.api.BevtConfigException;
import org.junit.jupiter.api.Test;

class DistributedSettingsTest {
  private static Config config(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseResources("reference.conf")).resolve();
  }

  private static final MpiEnvironment ALONE = MpiEnvironment.of(Map.of());
  private static final MpiEnvironment RANK1_OF_2 = MpiEnvironment.of(Map.of("OMPI_COMM_WORLD_RANK", "1", "OMPI_COMM_WORLD_SIZE", "2"));

  @Test
  void defaultsToOneProcessWithDdpSizedBuckets() {
    DistributedSettings d = DistributedSettings.from(config(""));
    assertThat(d.backend()).isEqualTo(DistributedSettings.Backend.NONE);
    assertThat(d.bucketBytes()).isEqualTo(25L * 1024 * 1024);
    assertThat(d.open(ALONE)).isInstanceOf(LocalCommunicator.class);
  }

  @Test
  void readsTheBackendAndBucketSize() {
    DistributedSettings d = DistributedSettings.from(config("bevt.train.distributed { backend = mpi, bucket-mb = 0.5 }"));
    assertThat(d.backend()).isEqualTo(DistributedSettings.Backend.MPI);
    assertThat(d.bucketBytes()).isEqualTo(512L * 1024);
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> DistributedSettings.from(config("bevt.train.distributed.backend = nccl")))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.train.distributed.backend")
        .hasMessageContaining("nccl");
    assertThatThrownBy(() -> DistributedSettings.from(config("bevt.train.distributed.bucket-mb = 0")))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.train.distributed.bucket-mb");
  }

  @Test
  void mpiOutsideALauncherIsAConfigurationError() {
    DistributedSettings mpi = DistributedSettings.from(config("bevt.train.distributed.backend = mpi"));
    assertThatThrownBy(() -> mpi.open(ALONE))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("bevt.train.distributed.backend")
        .hasMessageContaining("not started by an MPI launcher")
        .hasMessageContaining("mpirun -np 2 --bind-to none");
  }

  @Test
  void noneInsideAMultiProcessLaunchIsRefused() {
    assertThatThrownBy(() -> DistributedSettings.none().open(RANK1_OF_2))
        .isInstanceOf(BevtConfigException.class)
        .hasMessageContaining("rank 1 of 2")
        .hasMessageContaining("backend=mpi");
  }

  @Test
  void launcherEnvironments() {
    assertThat(ALONE.launched()).isFalse();
    assertThat(RANK1_OF_2.launched()).isTrue();
    assertThat(RANK1_OF_2.rank()).isEqualTo(1);
    assertThat(RANK1_OF_2.size()).isEqualTo(2);
    MpiEnvironment slurm = MpiEnvironment.of(Map.of("PMIX_RANK", "3", "SLURM_NTASKS", "8", "SLURM_LOCALID", "1"));
    assertThat(slurm.rank()).isEqualTo(3);
    assertThat(slurm.size()).isEqualTo(8);
    assertThat(slurm.localRank()).hasValue(1);
    assertThat(slurm.source()).isEqualTo("PMIX_RANK");
  }
}
