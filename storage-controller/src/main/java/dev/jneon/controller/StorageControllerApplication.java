package dev.jneon.controller;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the storage-controller service: Places tenant shards on pageservers and hands out generations. */
@SpringBootApplication
public class StorageControllerApplication {

    public static void main(String[] args) {
        SpringApplication.run(StorageControllerApplication.class, args);
    }
}
